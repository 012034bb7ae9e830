-- ECB reference rates per week × currency: the last rate published on or before the week's Sunday (units per 1 EUR)
with ecb_rates as (
    select * from raw.fx_rates
),

rates as (
    -- the euro itself is 1 on every day the ECB published
    select rate_date, currency_code, units_per_eur from ecb_rates where currency_code <> 'EUR'
    union all
    select distinct rate_date, 'EUR', 1.0 from ecb_rates
),

business_report as (
    select * from staging.stg_business_reports__child_items
),

weeks as (
    select distinct week_start from business_report
),

currencies as (
    select distinct currency_code from rates
),

final as (
    select
        weeks.week_start,
        currencies.currency_code,
        rates.rate_date,
        rates.units_per_eur
    from weeks
    cross join currencies
    asof join rates
        on currencies.currency_code = rates.currency_code
        and weeks.week_start + 6 >= rates.rate_date
)

select * from final
