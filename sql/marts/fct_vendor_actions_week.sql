-- A vendor account's action list per account × week × rank, in order of the money at stake per week (only the ranks to print: the account's minimum amount, at most its maximum count): stock-outs at Amazon, the Buy Box lost to a lower price, purchase orders short of the forecast, Net PPM falling, aged stock
with asins as (
    select * from marts.fct_vendor_asin_week
    where in_look_back(week_start, 0)
),

accounts as (
    select account_id, threshold_action_max_count, threshold_action_min_amount
    from marts.dim_accounts
),

totals as (
    select account_id, week_start, ordered_revenue_amount from marts.fct_vendor_account_week
    where in_look_back(week_start, 0)
),

candidates as (
    -- Amazon is out of stock: the revenue its out-of-stock page views would have brought
    select account_id, week_start, 'vendor_out_of_stock' as kind, asin, title,
        oos_revenue_lost_amount as amount_at_stake
    from asins
    where procurable_oos_pct > 0 or stock_status = 'out_of_stock'
    union all
    -- another seller undercuts Amazon's price: the revenue of the page views Amazon lost
    select account_id, week_start, 'vendor_buy_box_price', asin, title,
        lbb_revenue_at_stake_amount
    from asins
    where lbb_price_pct > 0
    union all
    -- open purchase orders short of demand over the lead time: those units at today's price,
    -- per week of the lead time (the revenue that goes missing each week until they arrive)
    select account_id, week_start, 'vendor_po_shortfall', asin, title,
        round(po_shortfall_units * asp_amount / (lead_time_days / 7), 2)::decimal(18, 2)
    from asins
    where po_shortfall_units > 0
    union all
    -- Net PPM fell: Amazon's margin lost at this week's shipped revenue (it will push back in
    -- the next terms negotiation)
    select account_id, week_start, 'vendor_margin_drop', asin, title, -net_ppm_effect_amount
    from asins
    where net_ppm_effect_amount < 0
    union all
    -- sellable stock older than 90 days, at Amazon's cost: returns or markdown money ahead;
    -- a week's share of it when cleared over a quarter (13 weeks), so that a stock and the
    -- week's flows compare
    select account_id, week_start, 'vendor_aged_stock', asin, title,
        round(aged_90_plus_amount / 13, 2)::decimal(18, 2)
    from asins
    where aged_90_plus_units > 0
),

worth_it as (
    -- an action must be worth at least 0.5 % of the week's ordered revenue (and the account's
    -- minimum amount): a list of trifles hides the one that matters
    select
        candidates.*,
        row_number() over (
            partition by candidates.account_id, candidates.week_start
            order by candidates.amount_at_stake desc, candidates.kind, candidates.asin
        ) as action_rank,
        accounts.threshold_action_max_count
    from candidates
    inner join accounts
        on candidates.account_id = accounts.account_id
    inner join totals
        on candidates.account_id = totals.account_id
        and candidates.week_start = totals.week_start
    where candidates.amount_at_stake >= greatest(
        accounts.threshold_action_min_amount, 0.005 * coalesce(totals.ordered_revenue_amount, 0)
    )
),

final as (
    select
        worth_it.account_id,
        worth_it.week_start,
        worth_it.action_rank,
        worth_it.kind,
        worth_it.asin,
        worth_it.title,
        worth_it.amount_at_stake,
        asins.currency_code,
        -- the figures behind the amount
        asins.page_views,
        asins.procurable_oos_pct,
        asins.lbb_price_pct,
        asins.revenue_per_view_amount,
        asins.sellable_on_hand_units,
        asins.open_po_units,
        asins.weekly_demand_units,
        asins.lead_time_demand_units,
        asins.lead_time_days,
        asins.po_shortfall_units,
        asins.asp_amount,
        asins.net_ppm,
        asins.previous_net_ppm,
        asins.shipped_revenue_amount,
        asins.aged_90_plus_units,
        asins.aged_90_plus_amount
    from worth_it
    inner join asins
        on worth_it.account_id = asins.account_id
        and worth_it.week_start = asins.week_start
        and worth_it.asin = asins.asin
    -- only the ranks to print: at most the account's maximum
    where worth_it.action_rank <= worth_it.threshold_action_max_count
)

select * from final
