-- Customer voice per account × week: new reviews, their rating, the running average rating and 1–2★ share
with reviews as (
    select * from marts.fct_reviews_account_week
),

final as (
    select
        account_id,
        week_start,
        new_reviews,
        new_review_rating,
        total_reviews,
        avg_rating,
        previous_avg_rating,
        avg_rating_change,
        low_star_reviews,
        low_star_pct,
        is_low_star
    from reviews
)

select * from final
