-- Conversion rates per week × from-currency × to-currency from the ECB reference rates: the last rate on or before the week's Sunday (1 for a currency into itself, with or without a rates file)
with ecb_rates as (
    select * from raw.fx_rates
),

accounts as (
    select currency_code, base_currency from marts.dim_accounts
),

unit_costs as (
    select * from raw.unit_costs
),

business_report as (
    select * from staging.stg_business_reports__child_items
),

rates as (
    -- the euro itself is 1 on every day the ECB published
    select rate_date, currency_code, units_per_eur from ecb_rates where currency_code <> 'EUR'
    union all
    select distinct rate_date, 'EUR', 1.0 from ecb_rates
),

vendor_weeks as (
    select * from marts.fct_vendor_account_week
),

payments as (
    select * from marts.fct_payment_lines_week
),

weeks as (
    select distinct week_start from business_report
    union
    -- weeks only a vendor account reported, or only a payment export covers
    select distinct week_start from vendor_weeks
    union
    select distinct week_start from payments
),

per_euro as (
    select weeks.week_start, currencies.currency_code, rates.rate_date, rates.units_per_eur
    from weeks
    cross join (select distinct currency_code from rates) as currencies
    asof join rates
        on currencies.currency_code = rates.currency_code
        and weeks.week_start + 6 >= rates.rate_date
),

used_currencies as (
    select currency_code from accounts
    union
    select base_currency from accounts where base_currency is not null
    union
    select currency_code from unit_costs
),

final as (
    -- rate: units of to_currency per unit of from_currency
    select
        from_rate.week_start,
        from_rate.currency_code as from_currency,
        to_rate.currency_code as to_currency,
        to_rate.units_per_eur / from_rate.units_per_eur as rate,
        greatest(from_rate.rate_date, to_rate.rate_date) as rate_date
    from per_euro as from_rate
    inner join per_euro as to_rate
        on from_rate.week_start = to_rate.week_start
        and from_rate.currency_code <> to_rate.currency_code
    union all
    select weeks.week_start, used_currencies.currency_code, used_currencies.currency_code, 1.0, null
    from weeks
    cross join used_currencies
)

select * from final
