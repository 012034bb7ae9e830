-- A seller account's action list per account × week: the ranks to print, in order of the weekly money at stake (an account-health breach first), with the figures behind each amount
with actions as (
    select * from marts.fct_actions_account_week
),

final as (
    select * from actions
)

select * from final
