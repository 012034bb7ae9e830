-- Sponsored Products advertised products: one row per account × day × campaign × ad group × advertised SKU/ASIN
with source as (
    -- one row per day, typed and in the account's currency (see stg_sp__report_days)
    select * from staging.stg_sp__report_days where report = 'advertised_product'
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by account_id, week_start, report_date, campaign_name, ad_group_name, advertised_sku,
            advertised_asin
        order by loaded_at desc, file_hash
    ) = 1
),

final as (
    select
        latest.account_id,
        latest.report_date,
        latest.week_start,
        latest.campaign_name,
        latest.ad_group_name,
        latest.advertised_sku,
        latest.advertised_asin,
        latest.impressions,
        latest.clicks,
        latest.spend_amount,
        latest.ad_sales_amount,
        latest.ad_orders,
        latest.ad_units,
        latest.is_estimated,
        latest.attribution_days,
        latest.is_provisional,
        latest.currency_code,
        latest.source_file,
        latest.source_line
    from latest
)

select * from final
