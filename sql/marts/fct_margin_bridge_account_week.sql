-- Week-on-week change in an account's contribution margin as volume + price + fee rate + refunds + advertising + cost-of-goods effects (its ASINs' effects summed; the charges no ASIN carries — storage, service fees, advertising beyond the advertised ASINs — in the fee and advertising effects), adding up to the change exactly
with asins as (
    select * from marts.fct_margin_bridge_asin_week
    where in_look_back(week_start, 0)
),

accounts as (
    -- a bridge needs last week's margin
    select * from marts.fct_margin_account_week
    where in_look_back(week_start, 0) and previous_contribution_margin_amount is not null
),

asin_margins as (
    select * from marts.fct_margin_asin_week
    where in_look_back(week_start, 1)
),

advertised as (
    -- advertising carried by ASINs, this week and last
    select
        account_id,
        week_start,
        sum(advertising_amount) filter (where asin is not null) as asin_advertising_amount
    from asin_margins
    group by account_id, week_start
),

effects as (
    select
        account_id,
        week_start,
        sum(margin_change_amount) as asin_margin_change_amount,
        sum(volume_effect_amount) as volume_effect_amount,
        sum(price_effect_amount) as price_effect_amount,
        sum(fee_rate_effect_amount) as fee_rate_effect_amount,
        sum(refunds_effect_amount) as refunds_effect_amount,
        sum(advertising_effect_amount) as advertising_effect_amount,
        sum(cogs_effect_amount) as cogs_effect_amount
    from asins
    group by account_id, week_start
),

final as (
    select
        accounts.account_id,
        accounts.week_start,
        accounts.currency_code,
        accounts.previous_contribution_margin_amount,
        accounts.contribution_margin_amount,
        accounts.contribution_margin_amount - accounts.previous_contribution_margin_amount
        as margin_change_amount,
        effects.volume_effect_amount,
        effects.price_effect_amount,
        -- what no ASIN carries: advertising beyond the advertised ASINs', the rest is fees
        effects.advertising_effect_amount
        - ((accounts.advertising_amount - coalesce(this_week.asin_advertising_amount, 0))
        - (accounts.previous_advertising_amount - coalesce(last_week.asin_advertising_amount, 0)))
        as advertising_effect_amount,
        effects.refunds_effect_amount,
        effects.cogs_effect_amount,
        -- the fee effect takes the rest, so the effects add up to the change to the cent
        accounts.contribution_margin_amount - accounts.previous_contribution_margin_amount
        - effects.volume_effect_amount - effects.price_effect_amount
        - effects.refunds_effect_amount - effects.cogs_effect_amount
        - (effects.advertising_effect_amount
            - ((accounts.advertising_amount - coalesce(this_week.asin_advertising_amount, 0))
            - (accounts.previous_advertising_amount - coalesce(last_week.asin_advertising_amount, 0))))
        as fee_rate_effect_amount
    from accounts
    inner join effects
        on accounts.account_id = effects.account_id
        and accounts.week_start = effects.week_start
    left join advertised as this_week
        on accounts.account_id = this_week.account_id
        and accounts.week_start = this_week.week_start
    left join advertised as last_week
        on accounts.account_id = last_week.account_id
        and last_week.week_start = accounts.week_start - 7
)

select * from final
