-- The 10 most frequent words in 1–2★ review text per account × week (stop words removed per language)
with reviews as (
    select * from staging.stg_reviews__customer_reviews
    where in_look_back(week_start, 0)
),

-- reviews are written in the marketplace's language, which the pack's may not be (a Chinese
-- seller's pack for Amazon.de): the stop words of both languages go
accounts as (
    select account_id, language, split_part(locale, '_', 1) as marketplace_language
    from marts.dim_accounts
),

stop_words as (
    select distinct language, lower(word) as word from raw.stop_words
),

low_star as (
    select
        reviews.account_id,
        reviews.week_start,
        reviews.review_id,
        accounts.language,
        accounts.marketplace_language,
        -- headline + body, lower-cased, without HTML tags or entities (&#39; &nbsp; …)
        regexp_replace(
            regexp_replace(
                lower(concat_ws(' ', reviews.review_headline, reviews.review_text)),
                '<[^>]*>', ' ', 'g'
            ),
            '&(#[0-9]+|#x[0-9a-f]+|[a-z]+);', ' ', 'g'
        ) as review_text
    from reviews
    inner join accounts
        on reviews.account_id = accounts.account_id
    where reviews.star_rating <= 2
),

review_counts as (
    select account_id, week_start, count(*) as low_star_reviews
    from low_star
    group by account_id, week_start
),

-- Chinese has neither spaces nor kana between its words: text with Han characters and no
-- kana is cut into words (words_zh: jieba's dictionary, registered by the models stage)
segmented as (
    select
        * replace (
            case
                when regexp_matches(review_text, '\p{Han}')
                    and not regexp_matches(review_text, '[\p{Hiragana}\p{Katakana}]')
                    then words_zh(review_text)
                else review_text
            end as review_text
        )
    from low_star
),

-- words: runs of ≥ 3 latin letters, or (Japanese has no spaces) of ≥ 2 kanji/katakana, which
-- in segmented Chinese are its words of two characters or more; anything else (digits,
-- punctuation, hiragana particles, one-character Chinese words) separates words
tokens as (
    select
        account_id,
        week_start,
        review_id,
        language,
        marketplace_language,
        unnest(regexp_extract_all(
            review_text, '\p{Latin}{3,}|[\p{Han}\p{Katakana}][\p{Han}\p{Katakana}ー]+'
        )) as word
    from segmented
),

words as (
    select distinct
        tokens.account_id, tokens.week_start, tokens.language, tokens.review_id, tokens.word
    from tokens
    anti join stop_words
        on stop_words.language in (tokens.language, tokens.marketplace_language)
        and tokens.word = stop_words.word
),

counted as (
    select account_id, week_start, language, word, count(*) as review_count
    from words
    group by account_id, week_start, language, word
),

ranked as (
    select
        *,
        row_number() over (
            partition by account_id, week_start order by review_count desc, word
        ) as word_rank
    from counted
),

final as (
    select
        ranked.account_id,
        ranked.week_start,
        ranked.language,
        ranked.word_rank,
        ranked.word,
        ranked.review_count,
        review_counts.low_star_reviews,
        ranked.review_count / review_counts.low_star_reviews as review_pct
    from ranked
    inner join review_counts
        on ranked.account_id = review_counts.account_id
        and ranked.week_start = review_counts.week_start
    where ranked.word_rank <= 10
)

select * from final
