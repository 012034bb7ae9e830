-- Customer reviews: one row per review (the latest export of it), dated by review date
with source as (
    select * from raw.customer_reviews
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by account_id, review_id order by loaded_at desc, file_hash
    ) = 1
),

final as (
    select
        account_id,
        review_id,
        review_date,
        date_trunc('week', review_date)::date as week_start,
        product_id as asin,
        product_title,
        star_rating,
        coalesce(helpful_votes, 0) as helpful_votes,
        verified_purchase = 'Y' as is_verified_purchase,
        review_headline,
        -- the export carries HTML line breaks and entities; keep plain text
        trim(regexp_replace(
            replace(replace(replace(replace(review_body, '<br />', ' '), '&amp;', '&'),
                '&quot;', '"'), '&#34;', '"'),
            '\s+', ' ', 'g'
        )) as review_text,
        source_file,
        source_line
    from latest
)

select * from final
