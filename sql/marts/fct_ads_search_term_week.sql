-- Sponsored Products customer search terms per account × week × campaign × ad group × search term (an ASIN in upper case), with the rank of those that cost money and brought no order, costliest first
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

flagged as (
    -- a term that is an ASIN (an auto campaign matched a product page) is targeted, and
    -- negated, as a product: Amazon writes ASINs in upper case, the report in lower
    select
        * replace (
            case
                when regexp_full_match(search_term, '[bB]0[0-9A-Za-z]{8}') then upper(search_term)
                else search_term
            end as search_term
        ),
        regexp_full_match(search_term, '[bB]0[0-9A-Za-z]{8}') as is_asin_term,
        spend_amount > 0 and ad_orders = 0 as is_without_orders
    from weekly
),

final as (
    select
        account_id,
        week_start,
        search_term,
        campaign_name,
        ad_group_name,
        match_types,
        currency_code,
        impressions,
        clicks,
        spend_amount,
        ad_orders,
        spend_amount / nullif(clicks, 0) as cpc_amount,
        is_asin_term,
        is_without_orders,
        case when is_without_orders then row_number() over (
            partition by account_id, week_start, is_without_orders
            order by spend_amount desc, search_term
        ) end as without_orders_rank
    from flagged
)

select * from final
