-- Accounts as configured, one row per account: name, kind (seller or vendor) and a vendor's distributor view, marketplace, currency, language, portfolio and its base currency, lead time, targets and the marketplace's thresholds
-- A dimension without week_start: small, and rebuilt whole in every run, so an edited target or
-- a new account shows up in the next weekly run (weeks already built keep the flags they got).
with accounts as (
    select * from raw.accounts
),

portfolios as (
    select * from raw.portfolios
),

marketplaces as (
    select * from raw.marketplaces
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.account_kind,
        accounts.distributor_view::varchar as distributor_view,
        accounts.marketplace,
        accounts.currency_code,
        accounts.language,
        marketplaces.locale,
        marketplaces.timezone,
        accounts.portfolio_id,
        portfolios.portfolio_name,
        portfolios.base_currency,
        accounts.lead_time_days,
        accounts.target_acos,
        accounts.target_tacos,
        accounts.target_revenue,
        marketplaces.threshold_odr,
        marketplaces.threshold_late_shipment_rate,
        marketplaces.threshold_cancel_rate,
        marketplaces.threshold_valid_tracking_rate,
        marketplaces.threshold_on_time_delivery_rate,
        marketplaces.threshold_low_star_share,
        marketplaces.threshold_low_star_min_reviews,
        marketplaces.threshold_high_risk_score,
        marketplaces.threshold_overstock_days,
        marketplaces.threshold_overstock_min_units,
        marketplaces.threshold_provisional_days,
        marketplaces.threshold_flag_min_reviews,
        marketplaces.threshold_flag_min_sessions,
        -- the action list's limits: the account's own (accounts.yaml actions:), else the
        -- marketplace's
        coalesce(accounts.action_max_count::integer, marketplaces.threshold_action_max_count)
        as threshold_action_max_count,
        coalesce(accounts.action_min_amount::double, marketplaces.threshold_action_min_amount)
        as threshold_action_min_amount,
        coalesce(accounts.action_negate_min_spend::double, marketplaces.threshold_negate_min_spend)
        as threshold_negate_min_spend
    from accounts
    left join portfolios on accounts.portfolio_id = portfolios.portfolio_id
    left join marketplaces on accounts.marketplace = marketplaces.marketplace
)

select * from final
