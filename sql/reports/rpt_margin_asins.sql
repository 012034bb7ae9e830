-- Each ASIN's contribution margin per account × week for the seller pack, with its title, the effects behind its change and its rank among the ASINs that lose money (most lost first)
with margins as (
    select * from marts.fct_margin_asin_week
    where asin is not null
),

bridge as (
    select * from marts.fct_margin_bridge_asin_week
),

asins as (
    select account_id, asin, title from marts.dim_asins
),

final as (
    select
        margins.*,
        asins.title,
        margins.contribution_margin_amount / nullif(margins.settled_sales_amount, 0)
        as margin_pct,
        bridge.margin_change_amount,
        bridge.volume_effect_amount,
        bridge.price_effect_amount,
        bridge.fee_rate_effect_amount,
        bridge.refunds_effect_amount,
        bridge.advertising_effect_amount,
        bridge.cogs_effect_amount,
        case when margins.contribution_margin_amount < 0 then row_number() over (
            partition by margins.account_id, margins.week_start,
                margins.contribution_margin_amount < 0
            order by margins.contribution_margin_amount, margins.asin
        ) end as losing_rank,
        row_number() over (
            partition by margins.account_id, margins.week_start
            order by abs(coalesce(bridge.margin_change_amount, 0)) desc, margins.asin
        ) as mover_rank
    from margins
    left join bridge
        on margins.account_id = bridge.account_id
        and margins.week_start = bridge.week_start
        and margins.asin = bridge.asin
    left join asins
        on margins.account_id = asins.account_id
        and margins.asin = asins.asin
)

select * from final
