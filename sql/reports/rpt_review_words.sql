-- The 10 most frequent words in 1–2★ review text per account × week (stop words removed per language)
with words as (
    select * from marts.fct_review_words_week
),

final as (
    select
        account_id,
        week_start,
        language,
        word_rank,
        word,
        review_count,
        low_star_reviews,
        review_pct
    from words
)

select * from final
