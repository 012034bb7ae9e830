-- Vendor Central figures (sales, inventory, traffic, Net PPM) per account × export family × ASIN × period, at the grain the export was downloaded at (day, week, month or custom), with the Monday week a day or week lands in
-- One view for the four families: each keeps only its own measures (the others NULL), so the
-- grain and the week are worked out once. A file's period comes from its banner (Viewing Range)
-- or the SP-API rows' startDate/endDate. Rows whose record_type is set are a file's own totals
-- (SP-API aggregates), kept for the reconciliation check, never added to the ASINs.
with sales as (
    select
        'sales' as family,
        account_id, asin, title, start_date, end_date, distributor_view, program, record_type,
        header_currency, locale, source_file, source_line, file_hash, loaded_at,
        ordered_revenue as ordered_revenue_amount,
        ordered_units,
        shipped_revenue as shipped_revenue_amount,
        shipped_cogs as shipped_cogs_amount,
        shipped_units,
        customer_returns,
        -- a "Same Period Last Year (%)" companion gives last year's value: value ÷ (1 + change)
        ordered_revenue / nullif(1 + ordered_revenue_ly_pct, 0) as ordered_revenue_ly_amount,
        ordered_units / nullif(1 + ordered_units_ly_pct, 0) as ordered_units_ly,
        net_ppm,
        page_views,
        lbb_price_pct,
        sales_discount as sales_discount_amount,
        contra_cogs as contra_cogs_amount
    from raw.vendor_sales
),

inventory as (
    select
        'inventory' as family,
        account_id, asin, title, start_date, end_date, distributor_view, program, record_type,
        header_currency, locale, source_file, source_line, file_hash, loaded_at,
        procurable_oos_pct,
        open_po_units,
        net_received_units,
        lead_time_days as vendor_lead_time_days,
        aged_90_plus_units,
        aged_90_plus_amount,
        sellable_on_hand_units,
        sellable_on_hand_amount,
        unsellable_on_hand_units,
        unhealthy_units,
        sell_through_pct as reported_sell_through_pct
    from raw.vendor_inventory
),

traffic as (
    select
        'traffic' as family,
        account_id, asin, title, start_date, end_date, distributor_view, program, record_type,
        header_currency, locale, source_file, source_line, file_hash, loaded_at,
        page_views
    from raw.vendor_traffic
),

net_ppm as (
    select
        'net_ppm' as family,
        account_id, asin, title, start_date, end_date, distributor_view, program, record_type,
        header_currency, locale, source_file, source_line, file_hash, loaded_at,
        net_ppm,
        -- "Net PPM % - Prior Period (bps)" is the prior period's value in basis points
        net_ppm_prior_bps / 10000 as net_ppm_prior
    from raw.vendor_net_ppm
),

source as (
    select * from sales
    union all by name
    select * from inventory
    union all by name
    select * from traffic
    union all by name
    select * from net_ppm
),

latest as (
    -- the latest load of each row: an export restated (or the same period downloaded again as
    -- SP-API JSON and as CSV) counts once
    select *
    from source
    qualify row_number() over (
        partition by
            family, account_id, asin, record_type, start_date, end_date, distributor_view,
            program
        order by loaded_at desc, file_hash desc, source_line
    ) = 1
),

graded as (
    select
        *,
        case
            when end_date = start_date then 'day'
            when end_date = start_date + 6 then 'week'
            when start_date = date_trunc('month', start_date)
                and end_date = last_day(start_date) then 'month'
            else 'custom'
        end as grain
    from latest
),

final as (
    select
        family,
        account_id,
        -- a Vendor Central week runs Sunday to Saturday: it lands in the Monday week holding
        -- its middle day (6 of its 7 days); months and custom ranges have no week
        case
            when grain = 'day' then date_trunc('week', start_date)::date
            when grain = 'week' then date_trunc('week', start_date + 3)::date
        end as week_start,
        grain,
        start_date as period_start,
        end_date as period_end,
        asin,
        trim(title) as title,
        record_type is not null as is_file_total,
        distributor_view,
        program,
        header_currency as currency_code,
        ordered_revenue_amount,
        ordered_units,
        shipped_revenue_amount,
        shipped_cogs_amount,
        shipped_units,
        customer_returns,
        ordered_revenue_ly_amount,
        ordered_units_ly,
        net_ppm,
        net_ppm_prior,
        page_views,
        lbb_price_pct,
        sales_discount_amount,
        contra_cogs_amount,
        procurable_oos_pct,
        open_po_units,
        net_received_units,
        vendor_lead_time_days,
        aged_90_plus_units,
        aged_90_plus_amount,
        sellable_on_hand_units,
        sellable_on_hand_amount,
        unsellable_on_hand_units,
        unhealthy_units,
        reported_sell_through_pct,
        locale,
        source_file,
        source_line
    from graded
)

select * from final
