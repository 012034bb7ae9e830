-- Sponsored Products search terms: one row per account × day × campaign × ad group × target × search term
with source as (
    -- one row per day, typed and in the account's currency (see stg_sp__report_days)
    select * from staging.stg_sp__report_days where report = 'search_term'
),

latest as (
    -- overlapping exports of the same day: the most recently loaded one counts
    select *
    from source
    qualify row_number() over (
        partition by account_id, week_start, report_date, campaign_name, ad_group_name, targeting,
            match_type, search_term
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
        latest.targeting,
        latest.match_type,
        trim(regexp_replace(latest.search_term, '[\x{202F}\x{00A0}]', ' ', 'g')) as search_term,
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
