-- Sponsored Products search terms: one row per account × day × campaign × ad group × target × search term
with source as (
    -- one row per day: summary rows spread over their days (see stg_sp__report_days)
    select * from staging.stg_sp__report_days where report = 'search_term'
),

accounts as (
    select account_id, currency_code, marketplace from raw.accounts
),

marketplaces as (
    select marketplace, threshold_provisional_days from raw.marketplaces
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
        latest.spend as spend_amount,
        latest.sales as ad_sales_amount,
        latest.orders as ad_orders,
        -- unknown stays NULL, never 0: a campaign report has no units column
        latest.units as ad_units,
        latest.is_estimated,
        -- a header without its window ("Total Sales") has Amazon's default for sellers
        coalesce(latest.attribution_days, 7) as attribution_days,
        -- Amazon keeps attributing sales to the last days' clicks after an export (the
        -- export's period ends on its last day); how many: marketplaces.yaml
        latest.report_date > latest.period_end - marketplaces.threshold_provisional_days::integer
        as is_provisional,
        coalesce(latest.currency, latest.header_currency, accounts.currency_code) as currency_code,
        latest.source_file,
        latest.source_line
    from latest
    inner join accounts on latest.account_id = accounts.account_id
    left join marketplaces on accounts.marketplace = marketplaces.marketplace
)

select * from final
