-- Customer reviews per account × week: new reviews, their rating, the running average rating, the 1–2★ share and whether it calls for reading them
with reviews as (
    select * from marts.fct_reviews_asin_week
    -- this week against the one before
    where in_look_back(week_start, 1)
),

accounts as (
    select account_id, threshold_low_star_share, threshold_low_star_min_reviews
    from marts.dim_accounts
),

weekly as (
    -- ASIN totals summed first; ratios after
    select
        account_id,
        week_start,
        sum(new_reviews)::bigint as new_reviews,
        sum(new_stars) as new_stars,
        sum(low_star_reviews)::bigint as low_star_reviews,
        sum(total_reviews)::bigint as total_reviews,
        sum(total_stars) as total_stars
    from reviews
    group by account_id, week_start
),

rated as (
    select
        *,
        new_stars / nullif(new_reviews, 0) as new_review_rating,
        total_stars / nullif(total_reviews, 0) as avg_rating,
        low_star_reviews / nullif(new_reviews, 0) as low_star_pct
    from weekly
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
        rated.low_star_pct,
        -- a share of 1–2★ reviews worth reading them, out of enough new reviews to mean
        -- something (both in marketplaces.yaml)
        coalesce(
            rated.new_reviews >= accounts.threshold_low_star_min_reviews
            and rated.low_star_pct >= accounts.threshold_low_star_share,
            false
        ) as is_low_star
    from rated
    left join rated as previous
        on rated.account_id = previous.account_id
        and previous.week_start = rated.week_start - interval 7 day
    -- a review week need not have other exports: the account's thresholds may be missing
    left join accounts
        on rated.account_id = accounts.account_id
)

select * from final
