import type { Verb } from '../../commands/index.ts';
import type { Decision, PolicyInput } from '../policy/index.ts';
import type { Person } from './people.ts';

/** The brand only a grant carries (a type, no value: nothing at run time can write it). */
export declare const granted: unique symbol;

/**
 * The gate's yes: proof that the policy was asked about `verb` for this subject and denied nothing. Only
 * `authorize` makes one (the brand cannot be written elsewhere, and the writes check it at run time too), and every
 * write the desk can make takes one — so a state change without a policy decision does not compile, and a forged
 * object is refused.
 */
export interface Grant {
  readonly verb: Verb;
  readonly service: string;
  readonly env: string;
  /** The deploy it is about, when it is about one (a grant for #3 cannot write #4). */
  readonly deployId?: string;
  readonly requester: Person;
  readonly decision: Decision;
  readonly input: PolicyInput;
  readonly [granted]: true;
}
