/**
 * Demo accounts: the organisations a token's owner "reports for", generated
 * deterministically from the owner (the same `sub` always gets the same 1–3
 * organisations) so that the demo needs no database. Numbers look real: INNs
 * carry valid check digits, KPPs are made of a tax-office code, a reason code
 * and a sequence number. They are fictitious.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** One demo organisation. */
export interface DemoAccount {
  /** Stable id of the account (derived from the owner and its position). */
  readonly id: string;
  /** `legal_entity` (10-digit INN with a KPP) or `individual_entrepreneur` (12-digit INN, no KPP). */
  readonly kind: 'legal_entity' | 'individual_entrepreneur';
  /** Display name, e.g. `ООО «Северный Берег»`. */
  readonly name: string;
  /** Taxpayer number: 10 digits (legal entity) or 12 digits (entrepreneur), with valid check digits. */
  readonly inn: string;
  /** Tax registration reason code (9 digits) for legal entities, `null` for entrepreneurs. */
  readonly kpp: string | null;
}

const LEGAL_FORMS = ['ООО', 'АО', 'ПАО'] as const;
const ADJECTIVES = ['Северный', 'Южный', 'Новый', 'Первый', 'Сибирский', 'Волжский', 'Уральский', 'Балтийский'] as const;
const NOUNS = ['Берег', 'Мост', 'Ветер', 'Вектор', 'Горизонт', 'Альянс', 'Меридиан', 'Источник'] as const;
const SURNAMES = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Новиков', 'Морозов'] as const;
const INITIALS = ['А.', 'Б.', 'В.', 'Г.', 'Д.', 'Е.', 'И.', 'К.', 'Л.', 'М.', 'Н.', 'О.', 'П.', 'С.'] as const;

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN11_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/**
 * The demo accounts of `owner` (the token's `sub`, or `client:<client_id>`
 * for a token issued to an application on its own behalf).
 */
export function demoAccounts(owner: string): DemoAccount[] {
  const seed = digest(`extern-api:accounts:${owner}`);
  const count = 1 + ((seed[0] ?? 0) % 3);
  const accounts: DemoAccount[] = [];
  for (let index = 0; index < count; index++) {
    accounts.push(demoAccount(owner, index));
  }
  return accounts;
}

function demoAccount(owner: string, index: number): DemoAccount {
  const bytes = digest(`extern-api:account:${index}:${owner}`);
  const pick = <T>(list: readonly T[], at: number): T => list[(bytes[at] ?? 0) % list.length] as T;
  const digits = (from: number, count: number): number[] =>
    Array.from({ length: count }, (_, i) => (bytes[from + i] ?? 0) % 10);
  // Tax-office code 01..99 + 2 digits: the first four digits of both INN and KPP.
  const region = 1 + ((bytes[1] ?? 0) % 89);
  const office = [Math.floor(region / 10), region % 10, ...digits(2, 2)];
  const id = `acc_${Buffer.from(bytes.subarray(20, 32)).toString('base64url')}`;

  // Roughly one account in four belongs to an individual entrepreneur.
  if ((bytes[0] ?? 0) % 4 === 0) {
    const inn = withCheckDigits12([...office, ...digits(4, 6)]);
    const name = `ИП ${pick(SURNAMES, 10)} ${pick(INITIALS, 11)}${pick(INITIALS, 12)}`;
    return { id, kind: 'individual_entrepreneur', name, inn, kpp: null };
  }
  const inn = withCheckDigit10([...office, ...digits(4, 5)]);
  const kpp = [...office, 0, 1, ...digits(13, 3)].join('');
  const name = `${pick(LEGAL_FORMS, 10)} «${pick(ADJECTIVES, 11)} ${pick(NOUNS, 12)}»`;
  return { id, kind: 'legal_entity', name, inn, kpp };
}

/** 9 digits → the 10-digit legal-entity INN. */
function withCheckDigit10(nine: number[]): string {
  return [...nine, checkDigit(nine, INN10_WEIGHTS)].join('');
}

/** 10 digits → the 12-digit individual INN. */
function withCheckDigits12(ten: number[]): string {
  const eleven = [...ten, checkDigit(ten, INN11_WEIGHTS)];
  return [...eleven, checkDigit(eleven, INN12_WEIGHTS)].join('');
}

/** The INN check digit: weighted sum mod 11, mod 10. */
function checkDigit(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits[i] ?? 0) * (weights[i] ?? 0);
  return (sum % 11) % 10;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
