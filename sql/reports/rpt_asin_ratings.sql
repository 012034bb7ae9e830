-- Ratings per account × week × ASIN: new reviews, running average rating and its weekly change
with ratings as (
    select * from marts.fct_ratings_asin_week
),

final as (
    select
        account_id,
        week_start,
        asin,
        title,
        new_reviews,
        new_review_rating,
        total_reviews,
        avg_rating,
        previous_avg_rating,
        rating_change,
        low_star_reviews,
        low_star_pct
    from ratings
)

select * from final
