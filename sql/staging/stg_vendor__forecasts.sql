-- Vendor Central demand forecast per account × ASIN × forecast period (SP-API GET_VENDOR_FORECASTING_REPORT): mean and P70/P80/P90 units, as generated on a day
with source as (
    select * from raw.vendor_forecast
),

latest as (
    -- the same forecast downloaded twice counts once
    select *
    from source
    qualify row_number() over (
        partition by account_id, asin, forecast_generated_on, start_date, end_date
        order by loaded_at desc, file_hash desc, source_line
    ) = 1
),

final as (
    select
        account_id,
        -- the Monday week the forecast was generated in
        date_trunc('week', forecast_generated_on)::date as week_start,
        asin,
        forecast_generated_on,
        start_date as period_start,
        end_date as period_end,
        datediff('day', start_date, end_date) + 1 as period_days,
        mean_forecast_units,
        p70_forecast_units,
        p80_forecast_units,
        p90_forecast_units,
        source_file,
        source_line
    from latest
)

select * from final
