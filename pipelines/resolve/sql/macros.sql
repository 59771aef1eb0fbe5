-- Normalisation and comparison-level macros shared by resolve, the u-sample and explain-pair, so a
-- pair is compared by exactly one definition. TEMP: defined per connection, never stored.

-- Letters only, upper case, accents stripped: O'Neill = ONeill = O NEILL = ONEILL.
CREATE OR REPLACE TEMP MACRO hn_letters(s) AS
  nullif(regexp_replace(upper(strip_accents(coalesce(s, ''))), '[^A-Z]', '', 'g'), '');

-- Words of a name: apostrophes dropped (O'Neill -> ONEILL), hyphens and other marks split words.
CREATE OR REPLACE TEMP MACRO hn_words(s) AS
  list_filter(
    string_split(trim(regexp_replace(
      regexp_replace(upper(strip_accents(coalesce(s, ''))), '[''’`]', '', 'g'),
      '[^A-Z]+', ' ', 'g')), ' '),
    w -> w <> '');

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
CREATE OR REPLACE TEMP MACRO hn_surname_level(a, b, pa, pb) AS
  CASE
    WHEN a IS NULL OR b IS NULL THEN 'null'
    WHEN a = b THEN 'exact'
    WHEN jaro_winkler_similarity(a, b) >= 0.94 THEN 'jw94'
    WHEN CASE WHEN len(pa) > 1 OR len(pb) > 1 THEN list_has_any(pa, pb) ELSE false END THEN 'part'
    WHEN jaro_winkler_similarity(a, b) >= 0.88 THEN 'jw88'
    -- damerau_levenshtein is slow (µs a pair): only reached for same-initial, similar-length names.
    WHEN CASE WHEN abs(length(a) - length(b)) <= 1 AND left(a, 1) = left(b, 1) AND jaro_winkler_similarity(a, b) >= 0.7
              THEN damerau_levenshtein(a, b) <= 1 ELSE false END THEN 'jw88'
    ELSE 'else'
  END;

-- Forename levels: all forenames identical (two or more, so a middle name agrees too); first
-- forename exact; nickname (shared canonical name); Jaro-Winkler
-- >= 0.92; initial (one side a single letter equal to the other's first); a shared other forename;
-- Jaro-Winkler >= 0.80; else. NULL when either side has no forename.
CREATE OR REPLACE TEMP MACRO hn_forename_level(a, b, ca, cb, ta, tb) AS
  CASE
    WHEN a IS NULL OR b IS NULL THEN 'null'
    WHEN a = b AND len(ta) >= 2 AND ta = tb THEN 'exact_all'
    WHEN a = b THEN 'exact'
    -- list_has_any is slow (µs a pair); only nicknames carry more than one canonical name.
    WHEN CASE WHEN len(ca) > 1 OR len(cb) > 1 THEN list_has_any(ca, cb) ELSE false END THEN 'nickname'
    WHEN jaro_winkler_similarity(a, b) >= 0.92 THEN 'jw92'
    WHEN (length(a) = 1 OR length(b) = 1) AND left(a, 1) = left(b, 1) THEN 'initial'
    WHEN CASE WHEN len(ta) > 1 OR len(tb) > 1 THEN list_has_any(ta, tb) ELSE false END THEN 'other_name'
    WHEN jaro_winkler_similarity(a, b) >= 0.80 THEN 'jw80'
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
    WHEN month(a) = month(b) AND day(a) = day(b) AND (abs(year(a) - year(b)) <= 1
         OR (abs(year(a) - year(b)) <= 10 AND damerau_levenshtein(CAST(year(a) AS VARCHAR), CAST(year(b) AS VARCHAR)) = 1))
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
