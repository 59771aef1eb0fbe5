// The offences the generator uses, each a real row of the CCHI 2020 table (Home Office code + ATHENA
// URN + one of its CJS codes), grouped by the kind of offending that fits each planted network type.

import { Weighted } from './rng.ts';

export type VictimKind = 'none' | 'adult' | 'child';

export interface Offence {
  /** `home_office_classification`, NNN/NN. */
  ho: string;
  /** `athena_urn` of the precise CCHI row. */
  urn: string;
  /** One CJS code listed on that CCHI row. */
  cjs: string;
  victim: VictimKind;
  /** Serious enough that a conviction often means prison (CCHI ≥ 365 days). */
  custodial: boolean;
  topic: 'DRUGS' | 'COUNTY_LINES' | 'CSE' | 'FIREARMS' | 'OCG' | 'EXPLOITATION' | 'OTHER';
}

const o = (ho: string, urn: string, cjs: string, victim: VictimKind, custodial: boolean, topic: Offence['topic']): Offence =>
  ({ ho, urn, cjs, victim, custodial, topic });

// County lines: Class A supply, possession with intent, blades.
export const SUPPLY_CRACK = o('092/34', '92A.92.34.0', 'MD71134', 'none', true, 'COUNTY_LINES');
export const SUPPLY_HEROIN = o('092/31', '92A.92.31.0', 'MD71131', 'none', true, 'COUNTY_LINES');
export const PWITS_CRACK = o('092/74', '92A.92.74.0', 'MD71234', 'none', true, 'DRUGS');
export const PWITS_HEROIN = o('092/71', '92A.92.71.0', 'MD71231', 'none', true, 'DRUGS');
export const PWITS_CANNABIS = o('092/81', '92A.92.81.0', 'MD71241', 'none', false, 'DRUGS');
export const BLADE_PUBLIC = o('008/26', '10D.8.26.0', 'CJ88117', 'none', false, 'OTHER');
export const THREATEN_BLADE = o('008/64', '10D.8.64.0', 'CJ88148', 'adult', false, 'OTHER');

// Child sexual exploitation.
export const CSE_INCITE = o('071/08', '71.71.8.0', 'SX03230', 'child', true, 'CSE');
export const CSE_SEX_U16 = o('022/06', '22B.22.6.0', 'SX03025', 'child', true, 'CSE');
export const CSE_GROOMING = o('088/01', '88A.88.1.0', 'SX03048', 'child', true, 'CSE');
export const CSE_COMMUNICATION = o('071/17', '88A.71.17.0', 'SX03224', 'child', false, 'CSE');
export const CSE_RAPE_U16 = o('019/07', '19D.19.7.0', 'SX03001', 'child', true, 'CSE');
export const CSE_IMAGES = o('086/02', '86.86.2.0', 'PK78001', 'child', true, 'CSE');
export const CHILD_ABDUCTION = o('013/02', '13.13.2.0', 'CH84003', 'child', true, 'EXPLOITATION');

// Serious and organised crime.
export const FIREARM_ENDANGER = o('005/14', '5E.5.14.0', 'FI68059', 'none', true, 'FIREARMS');
export const PROHIBITED_WEAPON = o('081/17', '10B.81.17.0', 'FI68036', 'none', true, 'FIREARMS');
export const SUPPLY_COCAINE = o('092/30', '92A.92.30.0', 'MD71130', 'none', true, 'DRUGS');
export const PWITS_COCAINE = o('092/70', '92A.92.70.0', 'MD71230', 'none', true, 'DRUGS');
export const MONEY_LAUNDERING = o('095/76', '95.95.76.0', 'ML17001', 'none', true, 'OCG');
export const CRIMINAL_PROPERTY = o('038/03', '38.38.3.0', 'CJ88121', 'none', false, 'OCG');
export const GBH_INTENT = o('005/01', '5D.5.1.0', 'OF61016', 'adult', true, 'OCG');
export const KIDNAPPING = o('036/01', '36.36.1.0', 'COML020', 'adult', true, 'OCG');

// Volume crime for the background population.
export const SHOPLIFTING = o('046/00', '46.46.0.0', 'TH68010', 'adult', false, 'OTHER');
export const BURGLARY_DWELLING = o('028/03', '28E.28.3.1', 'TH68026', 'adult', false, 'OTHER');
export const BURGLARY_BUSINESS = o('030/02', '30C.30.2.1', 'TH68027', 'adult', false, 'OTHER');
export const THEFT_FROM_VEHICLE = o('045/10', '45.45.10.0', 'TH68007', 'adult', false, 'OTHER');
export const THEFT_OF_VEHICLE = o('048/01', '48.48.1.0', 'TH68013', 'adult', false, 'OTHER');
export const THEFT_OTHER = o('049/10', '49.49.10.0', 'TH68016', 'adult', false, 'OTHER');
export const THEFT_PERSON = o('039/00', '39.39.0.0', 'TH68001', 'adult', false, 'OTHER');
export const CRIMINAL_DAMAGE = o('149/00', '58A.149.0.0', 'CD71039', 'adult', false, 'OTHER');
export const COMMON_ASSAULT = o('105/01', '105A.105.1.0', 'CJ88001', 'adult', false, 'OTHER');
export const ABH = o('008/06', '8N.8.6.0', 'OF61102', 'adult', false, 'OTHER');
export const ROBBERY_PERSONAL = o('034/01', '34B.34.1.2', 'TH68023', 'adult', true, 'OTHER');
export const PUBLIC_ORDER_S4A = o('125/09', '9A.125.9.0', 'PU86116', 'adult', false, 'OTHER');
export const HARASSMENT_FEAR = o('008/30', '8L.8.30.0', 'PH97002', 'adult', false, 'OTHER');
export const POSSESS_CANNABIS = o('092/61', '92E.92.61.0', 'MD71221', 'none', false, 'DRUGS');
export const POSSESS_COCAINE = o('092/50', '92D.92.50.0', 'MD71210', 'none', false, 'DRUGS');

export const ALL_OFFENCES: readonly Offence[] = [
  SUPPLY_CRACK, SUPPLY_HEROIN, PWITS_CRACK, PWITS_HEROIN, PWITS_CANNABIS, BLADE_PUBLIC, THREATEN_BLADE,
  CSE_INCITE, CSE_SEX_U16, CSE_GROOMING, CSE_COMMUNICATION, CSE_RAPE_U16, CSE_IMAGES, CHILD_ABDUCTION,
  FIREARM_ENDANGER, PROHIBITED_WEAPON, SUPPLY_COCAINE, PWITS_COCAINE, MONEY_LAUNDERING, CRIMINAL_PROPERTY,
  GBH_INTENT, KIDNAPPING, SHOPLIFTING, BURGLARY_DWELLING, BURGLARY_BUSINESS, THEFT_FROM_VEHICLE,
  THEFT_OF_VEHICLE, THEFT_OTHER, THEFT_PERSON, CRIMINAL_DAMAGE, COMMON_ASSAULT, ABH, ROBBERY_PERSONAL,
  PUBLIC_ORDER_S4A, HARASSMENT_FEAR, POSSESS_CANNABIS, POSSESS_COCAINE,
];

export const COUNTY_LINES_MIX = new Weighted<Offence>([
  [SUPPLY_CRACK, 30], [SUPPLY_HEROIN, 25], [PWITS_CRACK, 15], [PWITS_HEROIN, 12], [PWITS_CANNABIS, 6],
  [BLADE_PUBLIC, 8], [THREATEN_BLADE, 4],
]);
export const CSE_MIX = new Weighted<Offence>([
  [CSE_INCITE, 25], [CSE_SEX_U16, 20], [CSE_GROOMING, 18], [CSE_COMMUNICATION, 20], [CSE_RAPE_U16, 7],
  [CSE_IMAGES, 7], [CHILD_ABDUCTION, 3],
]);
export const SOC_MIX = new Weighted<Offence>([
  [FIREARM_ENDANGER, 10], [PROHIBITED_WEAPON, 10], [SUPPLY_COCAINE, 22], [PWITS_COCAINE, 18],
  [MONEY_LAUNDERING, 14], [CRIMINAL_PROPERTY, 8], [GBH_INTENT, 12], [KIDNAPPING, 6],
]);
export const VOLUME_MIX = new Weighted<Offence>([
  [SHOPLIFTING, 20], [BURGLARY_DWELLING, 8], [BURGLARY_BUSINESS, 4], [THEFT_FROM_VEHICLE, 8],
  [THEFT_OF_VEHICLE, 4], [THEFT_OTHER, 10], [THEFT_PERSON, 3], [CRIMINAL_DAMAGE, 10], [COMMON_ASSAULT, 12],
  [ABH, 8], [ROBBERY_PERSONAL, 2], [PUBLIC_ORDER_S4A, 4], [HARASSMENT_FEAR, 3], [POSSESS_CANNABIS, 6],
  [POSSESS_COCAINE, 2], [PWITS_CANNABIS, 1], [BLADE_PUBLIC, 2],
]);
