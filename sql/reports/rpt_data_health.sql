-- The data behind each pack per account × week × report kind: files, rows loaded and rejected, and the last day covered
with files as (
    select * from marts.fct_ingest_kind_week
),

final as (
    select
        account_id,
        week_start,
        kind,
        files_loaded,
        files_failed,
        files_superseded,
        rows_read,
        rows_loaded,
        rows_rejected,
        data_through_date,
        failure_messages
    from files
)

select * from final
