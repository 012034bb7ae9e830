-- What a seller kept per account × week for the seller pack: from settled sales to contribution margin step by step, the ratios, last week's margin and the bridge of its change
with margins as (
    select * from marts.fct_margin_account_week
),

bridge as (
    select * from marts.fct_margin_bridge_account_week
),

final as (
    select
        margins.*,
        margins.shipping_credits_amount + margins.gift_wrap_credits_amount
        + margins.promotional_rebates_amount as credits_and_rebates_amount,
        bridge.margin_change_amount,
        bridge.volume_effect_amount,
        bridge.price_effect_amount,
        bridge.fee_rate_effect_amount,
        bridge.refunds_effect_amount,
        bridge.advertising_effect_amount,
        bridge.cogs_effect_amount
    from margins
    left join bridge
        on margins.account_id = bridge.account_id
        and margins.week_start = bridge.week_start
)

select * from final
