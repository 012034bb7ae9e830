-- A vendor account's action list per account × week: the ranks to print, in order of the weekly money at stake, with the figures behind each amount
with actions as (
    select * from marts.fct_vendor_actions_week
),

final as (
    select * from actions
)

select * from final
