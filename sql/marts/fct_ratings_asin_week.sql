-- Ratings per account × ASIN × week: new reviews, their rating, the running average rating and its weekly change, the 1–2★ share
with reviews as (
    select * from marts.fct_reviews_asin_week
    -- this week against the one before
    where in_look_back(week_start, 1)
),

rated as (
    select
        *,
        new_stars / nullif(new_reviews, 0) as new_review_rating,
        total_stars / nullif(total_reviews, 0) as avg_rating,
        low_star_reviews / nullif(new_reviews, 0) as low_star_pct
    from reviews
),

final as (
    select
        rated.account_id,
        rated.week_start,
        rated.asin,
        rated.title,
        rated.new_reviews,
        rated.new_review_rating,
        rated.total_reviews,
        rated.avg_rating,
        previous.avg_rating as previous_avg_rating,
        rated.avg_rating - previous.avg_rating as rating_change,
        rated.low_star_reviews,
        rated.low_star_pct
    from rated
    left join rated as previous
        on rated.account_id = previous.account_id
        and rated.asin = previous.asin
        and previous.week_start = rated.week_start - interval 7 day
)

select * from final
