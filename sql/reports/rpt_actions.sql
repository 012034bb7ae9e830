-- Prioritised action list per account × week: what to do first, from health, stock, Buy Box, ads and reviews
with actions as (
    select * from marts.fct_actions_account_week
),

final as (
    select
        account_id,
        week_start,
        action_rank,
        priority,
        kind,
        subject,
        subject_title,
        value,
        value_unit,
        threshold,
        currency_code
    from actions
)

select * from final
