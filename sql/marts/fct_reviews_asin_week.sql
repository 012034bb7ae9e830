-- Reviews per account × ASIN × week, every week from the ASIN's first review: new reviews, stars, 1–2★ count and running totals
with reviews as (
    select * from staging.stg_reviews__customer_reviews
),

-- every week from an ASIN's first review to the latest week with reviews or sales
bounds as (
    select
        account_id,
        asin,
        min(week_start) as first_week,
        greatest(
            max(max(week_start)) over (),
            (select max(week_start) from staging.stg_business_reports__child_items)
        ) as last_week,
        arg_max(product_title, review_date) filter (where product_title is not null) as title
    from reviews
    group by account_id, asin
),

weeks as (
    select
        bounds.account_id,
        bounds.asin,
        bounds.title,
        unnest(generate_series(bounds.first_week, bounds.last_week, interval 7 day))::date
            as week_start
    from bounds
),

weekly as (
    select
        account_id,
        asin,
        week_start,
        count(*) as new_reviews,
        sum(star_rating) as new_stars,
        count(*) filter (where star_rating <= 2) as low_star_reviews
    from reviews
    group by account_id, asin, week_start
),

final as (
    select
        weeks.account_id,
        weeks.asin,
        weeks.title,
        weeks.week_start,
        coalesce(weekly.new_reviews, 0) as new_reviews,
        weekly.new_stars,
        coalesce(weekly.low_star_reviews, 0) as low_star_reviews,
        (sum(coalesce(weekly.new_reviews, 0)) over cumulative)::bigint as total_reviews,
        sum(coalesce(weekly.new_stars, 0)) over cumulative as total_stars
    from weeks
    left join weekly
        on weeks.account_id = weekly.account_id
        and weeks.asin = weekly.asin
        and weeks.week_start = weekly.week_start
    window cumulative as (
        partition by weeks.account_id, weeks.asin order by weeks.week_start
        rows between unbounded preceding and current row
    )
)

select * from final
