// Name pools for synthetic people: drawn once from @faker-js/faker's en_GB locale (seeded), blended
// with common forenames/surnames of the West Midlands, so per-row generation never calls faker.

import { fakerEN_GB } from '@faker-js/faker';
import { Rng } from './rng.ts';

export interface NamePools {
  male: readonly string[];
  female: readonly string[];
  surnames: readonly string[];
}

/** Common forenames, with the short forms / nicknames the identity noise uses. */
export const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  Robert: ['Bob', 'Rob', 'Bobby'], William: ['Bill', 'Will', 'Billy'], James: ['Jim', 'Jimmy', 'Jamie'],
  Michael: ['Mike', 'Mick', 'Mikey'], Richard: ['Rich', 'Rick', 'Dick'], Thomas: ['Tom', 'Tommy'],
  Anthony: ['Tony', 'Ant'], Christopher: ['Chris', 'Kit'], Daniel: ['Dan', 'Danny'], David: ['Dave', 'Davy'],
  Edward: ['Ed', 'Eddie', 'Ted'], Joseph: ['Joe', 'Joey'], Matthew: ['Matt'], Nicholas: ['Nick', 'Nicky'],
  Samuel: ['Sam', 'Sammy'], Stephen: ['Steve'], Steven: ['Steve'], Benjamin: ['Ben', 'Benji'],
  Alexander: ['Alex', 'Sandy'], Charles: ['Charlie', 'Chas'], Jonathan: ['Jon', 'Jonny'], Andrew: ['Andy', 'Drew'],
  Peter: ['Pete'], Kenneth: ['Ken', 'Kenny'], Terence: ['Terry'], Lewis: ['Lew'], Nathan: ['Nate'],
  Mohammed: ['Mo'], Muhammad: ['Mo'], Ibrahim: ['Ibby'], Jamal: ['Jay'], Kieran: ['Kez'],
  Margaret: ['Maggie', 'Peggy', 'Meg'], Elizabeth: ['Liz', 'Beth', 'Lizzie'], Katherine: ['Kate', 'Katie', 'Kath'],
  Catherine: ['Cathy', 'Kate', 'Cath'], Rebecca: ['Becky', 'Becca'], Jennifer: ['Jen', 'Jenny'],
  Victoria: ['Vicky', 'Tori'], Susan: ['Sue', 'Susie'], Deborah: ['Debbie', 'Deb'], Samantha: ['Sam', 'Sammy'],
  Alexandra: ['Alex', 'Lexi'], Charlotte: ['Lottie', 'Charlie'], Jessica: ['Jess', 'Jessie'], Abigail: ['Abby', 'Abi'],
  Natalie: ['Nat'], Patricia: ['Pat', 'Trish'], Christine: ['Chris', 'Chrissy'], Jacqueline: ['Jackie'],
  Kimberley: ['Kim'], Nicola: ['Nicky', 'Nic'], Danielle: ['Dani'], Stephanie: ['Steph'], Amelia: ['Millie'],
};

const COMMON_MALE = [
  'Robert', 'William', 'James', 'Michael', 'Richard', 'Thomas', 'Anthony', 'Christopher', 'Daniel', 'David',
  'Edward', 'Joseph', 'Matthew', 'Nicholas', 'Samuel', 'Stephen', 'Steven', 'Benjamin', 'Alexander', 'Charles',
  'Jonathan', 'Andrew', 'Peter', 'Kenneth', 'Terence', 'Lewis', 'Nathan', 'Mohammed', 'Muhammad', 'Ibrahim',
  'Jamal', 'Kieran', 'Liam', 'Connor', 'Jordan', 'Tyler', 'Callum', 'Reece', 'Jack', 'Harry', 'Oliver', 'George',
  'Imran', 'Arjun', 'Harjit', 'Kwame', 'Tariq', 'Ryan', 'Dean', 'Wayne', 'Darren', 'Lee', 'Craig', 'Adam',
];
const COMMON_FEMALE = [
  'Margaret', 'Elizabeth', 'Katherine', 'Catherine', 'Rebecca', 'Jennifer', 'Victoria', 'Susan', 'Deborah',
  'Samantha', 'Alexandra', 'Charlotte', 'Jessica', 'Abigail', 'Natalie', 'Patricia', 'Christine', 'Jacqueline',
  'Kimberley', 'Nicola', 'Danielle', 'Stephanie', 'Amelia', 'Olivia', 'Emily', 'Sophie', 'Chloe', 'Megan', 'Lauren',
  'Aisha', 'Fatima', 'Priya', 'Simran', 'Amira', 'Chantelle', 'Jade', 'Kayleigh', 'Leanne', 'Shannon', 'Paige',
  'Zoë', 'Chloë', 'Renée', 'Siobhán', 'Niamh', 'Grace', 'Ella', 'Lily', 'Mia', 'Holly', 'Amy', 'Laura',
];
const COMMON_SURNAMES = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts',
  'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris',
  'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark',
  'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen', 'James', 'Scott', 'Phillips', 'Watson', 'Parker', 'Price',
  'Bennett', 'Young', 'Griffiths', 'Mitchell', 'Kelly', 'Cook', 'Carter', 'Richardson', 'Bailey', 'Collins', 'Bell',
  'Shaw', 'Murphy', 'Miller', 'Cox', 'Richards', 'Khan', 'Ali', 'Begum', 'Hussain', 'Ahmed', 'Singh', 'Kaur',
  'Mahmood', 'Akhtar', 'Campbell', "O'Neill", "O'Brien", "O'Connor", "O'Sullivan", 'McDonald', 'MacKenzie',
  "D'Souza", 'Mensah', 'Okafor', 'Francis', 'Grant', 'Reid', 'Nowak', 'Kowalski', 'Brennan', 'Doyle', 'Byrne',
];

/** Builds the pools once from a seeded faker; same seed → same pools. */
export function buildNamePools(seed: number): NamePools {
  fakerEN_GB.seed(seed);
  const draw = (n: number, f: () => string): string[] => {
    const seen = new Set<string>();
    for (let i = 0; i < n * 4 && seen.size < n; i++) {
      const name = f();
      if (/^[\p{L}' ]+$/u.test(name)) seen.add(name); // faker also composes double-barrelled names; we add our own
    }
    return [...seen];
  };
  // Common names repeated so they make up about two thirds of all draws, faker's pool the rest.
  const weighted = (common: readonly string[], drawn: readonly string[]): string[] => {
    const reps = Math.max(1, Math.round((2 * drawn.length) / common.length));
    const out: string[] = [];
    for (let r = 0; r < reps; r++) out.push(...common);
    out.push(...drawn);
    return out;
  };
  const male = draw(300, () => fakerEN_GB.person.firstName('male'));
  const female = draw(300, () => fakerEN_GB.person.firstName('female'));
  const surnames = draw(900, () => fakerEN_GB.person.lastName());
  return {
    male: weighted(COMMON_MALE, male),
    female: weighted(COMMON_FEMALE, female),
    surnames: weighted(COMMON_SURNAMES, surnames),
  };
}

export function pickForename(pools: NamePools, sex: 'M' | 'F', rng: Rng): string {
  return rng.pick(sex === 'F' ? pools.female : pools.male);
}
