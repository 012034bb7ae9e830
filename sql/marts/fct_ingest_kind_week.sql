-- Ingested files per account × week × report kind: files loaded, failed and superseded, rows loaded and rejected, and the last day covered
with ingest_log as (
    select * from raw.ingest_log
),

placed as (
    -- a file that failed before it was placed still names its account and week by its folder
    select
        *,
        coalesce(account_id, split_part(source_file, '/', 1)) as placed_account_id,
        coalesce(week_start, try_cast(split_part(source_file, '/', 2) as date)) as placed_week,
        status in ('loaded', 'loaded_with_rejects') as is_loaded
    from ingest_log
),

final as (
    select
        placed_account_id as account_id,
        placed_week as week_start,
        coalesce(kind, 'unreadable') as kind,
        count(*) filter (where is_loaded) as files_loaded,
        count(*) filter (where status = 'failed') as files_failed,
        count(*) filter (where status = 'superseded') as files_superseded,
        coalesce(sum(rows_read) filter (where is_loaded), 0) as rows_read,
        coalesce(sum(rows_loaded) filter (where is_loaded), 0) as rows_loaded,
        coalesce(sum(rows_rejected) filter (where is_loaded), 0) as rows_rejected,
        max(period_end) filter (where is_loaded) as data_through_date,
        string_agg(message, '; ' order by source_file) filter (where status = 'failed')
        as failure_messages
    from placed
    where placed_week is not null
    group by placed_account_id, placed_week, coalesce(kind, 'unreadable')
)

select * from final
