-- Customer search terms that cost money and brought no order, per account × week × campaign × ad group × search term, costliest first
with search_terms as (
    select * from staging.stg_sp__search_terms
),

weekly as (
    select
        account_id,
        week_start,
        campaign_name,
        ad_group_name,
        search_term,
        any_value(currency_code) as currency_code,
        string_agg(distinct match_type, ', ' order by match_type) as match_types,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_amount) as spend_amount,
        sum(ad_orders) as ad_orders
    from search_terms
    group by account_id, week_start, campaign_name, ad_group_name, search_term
),

final as (
    select
        account_id,
        week_start,
        row_number() over (
            partition by account_id, week_start order by spend_amount desc, search_term
        ) as search_term_rank,
        search_term,
        campaign_name,
        ad_group_name,
        match_types,
        currency_code,
        impressions,
        clicks,
        spend_amount,
        spend_amount / nullif(clicks, 0) as cpc_amount
    from weekly
    where spend_amount > 0 and ad_orders = 0
)

select * from final
