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

running as (
    -- totals to date, on the weeks that had reviews
    select
        account_id,
        asin,
        week_start,
        sum(new_reviews) over cumulative as total_reviews,
        sum(coalesce(new_stars, 0)) over cumulative as total_stars
    from weekly
    window cumulative as (
        partition by account_id, asin order by week_start
        rows between unbounded preceding and current row
    )
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

built_weeks as (
    select * from weeks where in_look_back(week_start, 0)
),

final as (
    select
        built_weeks.account_id,
        built_weeks.asin,
        built_weeks.title,
        built_weeks.week_start,
        coalesce(this_week.new_reviews, 0) as new_reviews,
        this_week.new_stars,
        coalesce(this_week.low_star_reviews, 0) as low_star_reviews,
        running.total_reviews::bigint as total_reviews,
        running.total_stars
    from built_weeks
    -- the running totals of the last week with reviews up to this one
    asof inner join running
        on built_weeks.account_id = running.account_id
        and built_weeks.asin = running.asin
        and built_weeks.week_start >= running.week_start
    left join weekly as this_week
        on built_weeks.account_id = this_week.account_id
        and built_weeks.asin = this_week.asin
        and built_weeks.week_start = this_week.week_start
)

select * from final
