-- Portfolio totals per portfolio × week in its base currency (dated ECB rates); a total is NULL while any account lacks a rate; the week-on-week change is like for like (accounts with sales in both weeks)
with accounts as (
    select * from marts.fct_portfolio_account_week
),

totals as (
    select
        portfolio_id,
        any_value(portfolio_name) as portfolio_name,
        week_start,
        any_value(base_currency) as base_currency,
        count(*) as accounts,
        count(*) filter (where fx_rate_to_base is null) as accounts_without_fx_rate,
        string_agg(account_id, ', ' order by account_id) filter (where fx_rate_to_base is null)
        as accounts_without_fx_rate_ids,
        count(*) filter (where is_comparable) as comparable_accounts,
        string_agg(account_id, ', ' order by account_id) filter (where not is_comparable)
        as not_comparable_account_ids,
        count(*) filter (where account_kind = 'vendor') as vendor_accounts,
        sum(revenue_base_amount) as revenue_base_amount,
        -- TACoS is a seller measure: vendor accounts' revenue has no ads of theirs here
        sum(revenue_base_amount) filter (where account_kind = 'seller')
        as seller_revenue_base_amount,
        sum(oos_revenue_lost_base_amount) as oos_revenue_lost_base_amount,
        sum(contribution_margin_base_amount) as contribution_margin_base_amount,
        count(*) filter (where contribution_margin_amount is not null) as accounts_with_margin,
        sum(revenue_base_amount) filter (where is_comparable) as comparable_revenue_base_amount,
        sum(previous_revenue_base_amount) filter (where is_comparable)
        as previous_revenue_base_amount,
        sum(ad_spend_base_amount) as ad_spend_base_amount,
        sum(ad_sales_base_amount) as ad_sales_base_amount,
        count(*) filter (where health_breaches > 0) as accounts_with_health_breach,
        count(*) filter (where is_high_risk) as accounts_at_high_risk,
        max(risk_score) as max_risk_score
    from accounts
    group by portfolio_id, week_start
),

final as (
    select
        portfolio_id,
        portfolio_name,
        week_start,
        base_currency,
        accounts,
        accounts_without_fx_rate,
        accounts_without_fx_rate_ids,
        case when accounts_without_fx_rate = 0 then revenue_base_amount end
        as revenue_base_amount,
        case when accounts_without_fx_rate = 0 then previous_revenue_base_amount end
        as previous_revenue_base_amount,
        case when accounts_without_fx_rate = 0 then ad_spend_base_amount end
        as ad_spend_base_amount,
        case when accounts_without_fx_rate = 0 then ad_sales_base_amount end
        as ad_sales_base_amount,
        comparable_accounts,
        not_comparable_account_ids,
        case when accounts_without_fx_rate = 0
            then comparable_revenue_base_amount / nullif(previous_revenue_base_amount, 0) - 1
        end as revenue_wow_pct,
        case when accounts_without_fx_rate = 0
            then ad_spend_base_amount / nullif(ad_sales_base_amount, 0)
        end as acos,
        case when accounts_without_fx_rate = 0
            then ad_spend_base_amount / nullif(seller_revenue_base_amount, 0)
        end as tacos,
        vendor_accounts,
        case when accounts_without_fx_rate = 0 then oos_revenue_lost_base_amount end
        as oos_revenue_lost_base_amount,
        case when accounts_without_fx_rate = 0 then contribution_margin_base_amount end
        as contribution_margin_base_amount,
        accounts_with_margin,
        accounts_with_health_breach,
        accounts_at_high_risk,
        max_risk_score
    from totals
)

select * from final
