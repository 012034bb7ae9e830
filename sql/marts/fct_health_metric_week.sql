-- Account health per account × week × metric: the week's latest report against its threshold (the export's targetValue, else the marketplace's), and whether it is breached
with metrics as (
    select * from staging.stg_account_health__metrics
),

accounts as (
    select * from marts.dim_accounts
),

-- the public metric each reported row counts towards; policy metrics (defect counts with
-- target 0) add up to one policy_violations count
classified as (
    select
        *,
        case
            when metric in (
                'odr', 'late_shipment_rate', 'cancel_rate', 'valid_tracking_rate',
                'on_time_delivery_rate'
            ) then metric
            when metric in (
                'listing_policy_violations',
                'product_authenticity_customer_complaints',
                'product_condition_customer_complaints',
                'product_safety_customer_complaints',
                'received_intellectual_property_complaints',
                'restricted_product_policy_violations',
                'suspected_intellectual_property_violations',
                'intellectual_property_violations',
                'food_and_product_safety_issues',
                'customer_product_reviews_policy_violations',
                'other_policy_violations',
                'document_requests'
            ) then 'policy_violations'
        end as health_metric
    from metrics
),

-- the latest report in the week, per reported metric × channel
latest as (
    select *
    from classified
    where health_metric is not null
    qualify row_number() over (
        partition by account_id, week_start, metric, channel order by report_date desc
    ) = 1
),

-- rates combine channels from counts (Σ defects ÷ Σ orders); without complete counts, the
-- reported rate of the channel with most orders
combined as (
    select
        account_id,
        week_start,
        health_metric as metric,
        max(report_date) as report_date,
        sum(defects)::bigint as defects,
        sum(orders)::bigint as orders,
        count(*) filter (where defects is null or orders is null) = 0 as has_counts,
        arg_max(rate, coalesce(orders, 0))::double as reported_rate,
        max(target_value)::double as target_value,
        max(target_condition) as target_condition,
        min(date_from) as date_from,
        max(date_to) as date_to
    from latest
    group by account_id, week_start, health_metric
),

valued as (
    select
        combined.*,
        case
            when metric = 'policy_violations' then defects::double
            when has_counts then defects / nullif(orders, 0)
            when orders = 0 then null
            else reported_rate
        end as rate,
        case metric
            when 'odr' then accounts.threshold_odr
            when 'late_shipment_rate' then accounts.threshold_late_shipment_rate
            when 'cancel_rate' then accounts.threshold_cancel_rate
            when 'valid_tracking_rate' then accounts.threshold_valid_tracking_rate
            when 'on_time_delivery_rate' then accounts.threshold_on_time_delivery_rate
            when 'policy_violations' then 0
        end::double as marketplace_threshold,
        case target_condition
            when 'LESS_THAN' then 'below'
            when 'GREATER_THAN' then 'at_least'
            when 'EQUALS' then 'equals'
            else case
                when metric in ('valid_tracking_rate', 'on_time_delivery_rate') then 'at_least'
                when metric = 'policy_violations' then 'equals'
                else 'below'
            end
        end as threshold_condition
    from combined
    left join accounts
        on combined.account_id = accounts.account_id
),

thresholds as (
    select
        *,
        coalesce(target_value, marketplace_threshold) as threshold_value,
        case when target_value is not null then 'export' else 'marketplace' end
            as threshold_source
    from valued
),

judged as (
    select
        account_id,
        week_start,
        metric,
        case when metric = 'policy_violations' then 'count' else 'fraction' end as unit,
        report_date,
        rate,
        threshold_value,
        threshold_condition,
        case
            when rate is null or threshold_value is null then null
            when threshold_condition = 'below' and rate < threshold_value then 'ok'
            when threshold_condition = 'at_least' and rate >= threshold_value then 'ok'
            when threshold_condition = 'equals' and rate = threshold_value then 'ok'
            else 'breach'
        end as status,
        threshold_source,
        -- as reported: for valid tracking and on-time delivery the count of good shipments
        defects,
        orders,
        date_from,
        date_to
    from thresholds
),

final as (
    select *, coalesce(status = 'breach', false) as is_breach
    from judged
)

select * from final
