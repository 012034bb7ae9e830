-- The ASINs behind each effect of the margin bridge per account × week: for each effect (volume, price, fee rate, refunds, advertising, COGS) its two largest contributors, in the effect's direction
with bridge as (
    select * from marts.fct_margin_bridge_asin_week
),

effects as (
    select
        account_id,
        week_start,
        asin,
        currency_code,
        unnest(['volume', 'price', 'fee_rate', 'refunds', 'advertising', 'cogs']) as effect,
        unnest([
            volume_effect_amount, price_effect_amount, fee_rate_effect_amount,
            refunds_effect_amount, advertising_effect_amount, cogs_effect_amount
        ]) as amount
    from bridge
),

final as (
    select
        account_id,
        week_start,
        effect,
        list(struct_pack(asin, amount) order by abs(amount) desc, asin)[1:2] as top_asins,
        any_value(currency_code) as currency_code
    from effects
    where amount <> 0
    group by account_id, week_start, effect
)

select * from final
