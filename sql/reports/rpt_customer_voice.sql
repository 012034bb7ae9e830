-- Customer voice per account × week: new reviews, their rating, the running average rating and 1–2★ share
with reviews as (
    select * from staging.stg_reviews__customer_reviews
),

-- every week from an account's first review to the latest week with reviews or sales, so a
-- week without new reviews still shows the average rating shoppers see
bounds as (
    select
        account_id,
        min(week_start) as first_week,
        greatest(
            max(max(week_start)) over (), (select max(week_start) from staging.stg_business_reports__child_items)
        ) as last_week
    from reviews
    group by account_id
),

weeks as (
    select
        bounds.account_id,
        unnest(generate_series(bounds.first_week, bounds.last_week, interval 7 day))::date
            as week_start
    from bounds
),

weekly as (
    select
        account_id,
        week_start,
        count(*) as new_reviews,
        sum(star_rating) as new_stars,
        count(*) filter (where star_rating <= 2) as low_star_reviews
    from reviews
    group by account_id, week_start
),

running as (
    select
        weeks.account_id,
        weeks.week_start,
        coalesce(weekly.new_reviews, 0) as new_reviews,
        weekly.new_stars,
        coalesce(weekly.low_star_reviews, 0) as low_star_reviews,
        (sum(coalesce(weekly.new_reviews, 0)) over cumulative)::bigint as total_reviews,
        sum(coalesce(weekly.new_stars, 0)) over cumulative as total_stars
    from weeks
    left join weekly
        on weeks.account_id = weekly.account_id
        and weeks.week_start = weekly.week_start
    window cumulative as (
        partition by weeks.account_id order by weeks.week_start
        rows between unbounded preceding and current row
    )
),

rated as (
    select
        *,
        new_stars / nullif(new_reviews, 0) as new_review_rating,
        total_stars / nullif(total_reviews, 0) as avg_rating,
        low_star_reviews / nullif(new_reviews, 0) as low_star_pct
    from running
),

final as (
    select
        rated.account_id,
        rated.week_start,
        rated.new_reviews,
        rated.new_review_rating,
        rated.total_reviews,
        rated.avg_rating,
        previous.avg_rating as previous_avg_rating,
        rated.avg_rating - previous.avg_rating as avg_rating_change,
        rated.low_star_reviews,
        rated.low_star_pct
    from rated
    left join rated as previous
        on rated.account_id = previous.account_id
        and previous.week_start = rated.week_start - interval 7 day
)

select * from final
