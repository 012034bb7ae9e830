-- Sponsored Products per account × week × campaign (attribution windows summed) against the account's ACoS target, with the rank of the campaigns over it, worst first
with ads as (
    select * from marts.fct_ads_campaign_week
),

accounts as (
    select account_id, target_acos from marts.dim_accounts
),

campaigns as (
    -- only accounts with a target: without one no campaign is judged
    select
        ads.account_id,
        ads.week_start,
        ads.campaign_name,
        any_value(ads.currency_code) as currency_code,
        max(ads.attribution_days) as attribution_days,
        sum(ads.clicks) as clicks,
        sum(ads.spend_amount) as spend_amount,
        sum(ads.ad_sales_amount) as ad_sales_amount,
        sum(ads.ad_orders) as ad_orders,
        any_value(accounts.target_acos) as target_acos
    from ads
    inner join accounts
        on ads.account_id = accounts.account_id
    where accounts.target_acos is not null
    group by ads.account_id, ads.week_start, ads.campaign_name
),

judged as (
    select
        *,
        spend_amount / nullif(ad_sales_amount, 0) as acos,
        -- what was spent beyond the target for the sales it brought
        spend_amount - ad_sales_amount * target_acos as excess_spend_amount,
        -- spend with no sales counts as over
        spend_amount > ad_sales_amount * target_acos as is_over_target
    from campaigns
),

final as (
    select
        account_id,
        week_start,
        campaign_name,
        currency_code,
        attribution_days,
        clicks,
        spend_amount,
        ad_sales_amount,
        ad_orders,
        acos,
        target_acos,
        excess_spend_amount,
        is_over_target,
        case when is_over_target then row_number() over (
            partition by account_id, week_start, is_over_target
            order by excess_spend_amount desc, campaign_name
        ) end as over_target_rank
    from judged
)

select * from final
