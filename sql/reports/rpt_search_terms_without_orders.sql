-- Customer search terms that cost money and brought no order, per account × week × campaign × ad group × search term, costliest first
with search_terms as (
    select * from marts.fct_ads_search_term_week
),

final as (
    select
        account_id,
        week_start,
        without_orders_rank as search_term_rank,
        search_term,
        is_asin_term,
        campaign_name,
        ad_group_name,
        match_types,
        currency_code,
        impressions,
        clicks,
        spend_amount,
        cpc_amount
    from search_terms
    where is_without_orders
)

select * from final
