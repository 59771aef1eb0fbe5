-- Normalisation and comparison-level macros shared by resolve, the u-sample and explain-pair, so a
-- pair is compared by exactly one definition. TEMP: defined per connection, never stored.

-- Letters only, upper case, accents stripped: O'Neill = ONeill = O NEILL = ONEILL.
CREATE OR REPLACE TEMP MACRO hn_letters(s) AS
  nullif(regexp_replace(upper(strip_accents(coalesce(s, ''))), '[^A-Z]', '', 'g'), '');

-- The words of a name as one string: apostrophes dropped (O'Neill -> ONEILL), accents stripped,
-- hyphens and other marks become single spaces: 'Smith-Jones' -> 'SMITH JONES'. NULL when empty.
CREATE OR REPLACE TEMP MACRO hn_clean(s) AS
  nullif(trim(regexp_replace(
    regexp_replace(upper(strip_accents(coalesce(s, ''))), '[''’`]', '', 'g'),
    '[^A-Z]+', ' ', 'g')), '');

-- A soundex-like phonetic key (Russell & Odell 1918, simplified): first letter, then the codes of
-- the following consonants with runs collapsed, vowels and H/W/Y dropped, 4 characters at most.
CREATE OR REPLACE TEMP MACRO hn_phonetic(s) AS
  CASE WHEN s IS NULL THEN NULL ELSE
    left(s, 1) || left(
      regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        translate(substr(s, 2), 'BFPVCGJKQSXZDTLMNRAEIOUYHW', '111122222222334556'),
        '1+', '1', 'g'), '2+', '2', 'g'), '3+', '3', 'g'), '4+', '4', 'g'), '5+', '5', 'g'), '6+', '6', 'g'),
      3)
  END;

-- Surname levels: exact; Jaro-Winkler >= 0.94; a shared part of a double-barrelled name;
-- Jaro-Winkler >= 0.88 or Damerau-Levenshtein <= 1; else. NULL when either side is missing.
-- jw is jaro_winkler_similarity(a, b), computed once by the caller; words are '|SMITH|JONES|',
-- multi whether the name has two or more parts, f/l its first and last part.
CREATE OR REPLACE TEMP MACRO hn_surname_level(a, b, jw, wa, wb, ma, mb, fa, la, fb, lb) AS
  CASE
    WHEN a IS NULL OR b IS NULL THEN 'null'
    WHEN a = b THEN 'exact'
    WHEN jw >= 0.94 THEN 'jw94'
    WHEN CASE WHEN ma OR mb THEN contains(wa, '|' || fb || '|') OR contains(wa, '|' || lb || '|')
                               OR contains(wb, '|' || fa || '|') OR contains(wb, '|' || la || '|')
              ELSE false END THEN 'part'
    WHEN jw >= 0.88 THEN 'jw88'
    -- damerau_levenshtein is slow (µs a pair): only reached for same-initial, similar-length names.
    WHEN CASE WHEN abs(length(a) - length(b)) <= 1 AND left(a, 1) = left(b, 1) AND jw >= 0.7
              THEN damerau_levenshtein(a, b) <= 1 ELSE false END THEN 'jw88'
    ELSE 'else'
  END;

-- Forename levels: all forenames identical (two or more, so a middle name agrees too); first
-- forename exact; nickname (nick: the two first forenames share a canonical name in
-- person.nickname_pair); Jaro-Winkler >= 0.92; initial (one side a single letter equal to the
-- other's first); one side's first forename among the other's forenames; Jaro-Winkler >= 0.80;
-- else. NULL when either side has no forename. words are '|JOHN|PAUL|', n the number of forenames.
CREATE OR REPLACE TEMP MACRO hn_forename_level(a, b, jw, nick, alla, allb, wa, wb, na, nb) AS
  CASE
    WHEN a IS NULL OR b IS NULL THEN 'null'
    WHEN a = b AND na >= 2 AND alla = allb THEN 'exact_all'
    WHEN a = b THEN 'exact'
    WHEN nick THEN 'nickname'
    WHEN jw >= 0.92 THEN 'jw92'
    WHEN (length(a) = 1 OR length(b) = 1) AND left(a, 1) = left(b, 1) THEN 'initial'
    WHEN CASE WHEN na > 1 OR nb > 1 THEN contains(wa, '|' || b || '|') OR contains(wb, '|' || a || '|') ELSE false END THEN 'other_name'
    WHEN jw >= 0.80 THEN 'jw80'
    ELSE 'else'
  END;

-- DOB levels: exact; day and month transposed; one part different — the day, the month, or the
-- year by a keying slip (±1, or one digit changed or two swapped within ten years: 1987/1988,
-- 1978/1987; never 1972/2014, the parent-and-child namesake); else.
CREATE OR REPLACE TEMP MACRO hn_dob_level(a, b) AS
  CASE
    WHEN a IS NULL OR b IS NULL THEN 'null'
    WHEN a = b THEN 'exact'
    WHEN year(a) = year(b) AND month(a) = day(b) AND day(a) = month(b) THEN 'transposed'
    WHEN year(a) = year(b) AND (month(a) = month(b) OR day(a) = day(b)) THEN 'one_part'
    -- (nested CASE: damerau_levenshtein is slow and AND does not short-circuit)
    WHEN CASE WHEN month(a) <> month(b) OR day(a) <> day(b) THEN false
              WHEN abs(year(a) - year(b)) <= 1 THEN true
              WHEN abs(year(a) - year(b)) > 10 THEN false
              ELSE damerau_levenshtein(CAST(year(a) AS VARCHAR), CAST(year(b) AS VARCHAR)) = 1 END
      THEN 'one_part'
    ELSE 'else'
  END;

-- "Clearly different" dates of birth, used by the chaining guard: both known and not within
-- one of the tolerated variants above.
CREATE OR REPLACE TEMP MACRO hn_dob_conflict(a, b) AS hn_dob_level(a, b) = 'else';

CREATE OR REPLACE TEMP MACRO hn_sex_level(a, b) AS
  CASE WHEN a IS NULL OR b IS NULL THEN 'null' WHEN a = b THEN 'exact' ELSE 'else' END;

CREATE OR REPLACE TEMP MACRO hn_pnc_level(a, b) AS
  CASE WHEN a IS NULL OR b IS NULL THEN 'null' WHEN a = b THEN 'exact' ELSE 'else' END;
