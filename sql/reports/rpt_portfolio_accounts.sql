-- One row per account × week for the boss pack (seller and vendor accounts side by side): revenue, growth, ads against targets, health, Net PPM, stock risk and risk score with its parts, also in the portfolio's base currency, and the account's part in the portfolio's change
with accounts as (
    select * from marts.fct_portfolio_account_week
),

changes as (
    select * from marts.fct_portfolio_bridge_account_week
),

final as (
    select
        accounts.portfolio_id,
        accounts.portfolio_name,
        accounts.account_id,
        accounts.account_name,
        accounts.account_kind,
        accounts.week_start,
        accounts.currency_code,
        accounts.base_currency,
        accounts.fx_rate_to_base,
        accounts.fx_rate_date,
        accounts.revenue_amount,
        accounts.previous_revenue_amount,
        accounts.revenue_base_amount,
        accounts.previous_revenue_base_amount,
        accounts.revenue_wow_pct,
        accounts.revenue_4w_pct,
        accounts.revenue_yoy_pct,
        accounts.ad_spend_amount,
        accounts.ad_sales_amount,
        accounts.ad_spend_base_amount,
        accounts.ad_sales_base_amount,
        accounts.acos,
        accounts.tacos,
        accounts.target_acos,
        accounts.target_tacos,
        accounts.contribution_margin_amount,
        accounts.contribution_margin_base_amount,
        accounts.margin_pct,
        accounts.margin_change_pts,
        accounts.margin_is_partial,
        accounts.net_ppm,
        accounts.net_ppm_change_pts,
        accounts.procurable_oos_pct,
        accounts.oos_revenue_lost_amount,
        accounts.oos_revenue_lost_base_amount,
        accounts.lbb_price_pct,
        accounts.health_breaches,
        accounts.breached_metrics,
        accounts.revenue_at_risk_pct,
        accounts.health_points,
        accounts.stock_points,
        accounts.sales_points,
        accounts.ads_points,
        accounts.reviews_points,
        accounts.margin_points,
        accounts.buy_box_points,
        accounts.po_points,
        accounts.risk_score,
        accounts.is_high_risk,
        -- the account's part in the portfolio's like-for-like change, and its bar's length
        -- against the account that moved it most
        changes.revenue_change_amount,
        changes.revenue_change_base_amount,
        abs(changes.revenue_change_base_amount) / nullif(
            max(abs(changes.revenue_change_base_amount))
                over (partition by accounts.portfolio_id, accounts.week_start),
            0
        ) as change_bar_pct
    from accounts
    left join changes
        on accounts.account_id = changes.account_id
        and accounts.week_start = changes.week_start
)

select * from final
