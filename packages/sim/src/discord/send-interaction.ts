import type { InteractionSigner } from './interaction-signer.ts';

export interface InteractionAnswer {
  status: number;
  /** The endpoint's JSON answer (the interaction response), or undefined when it sent none. */
  body: unknown;
  /** How long the endpoint took to answer; Discord gives up after 3 seconds. */
  ms: number;
}

/**
 * Delivers an interaction to an HTTP interactions endpoint as Discord does: a POST of the JSON body with the
 * ed25519 signature headers. `tamper` changes the body after signing, as an attacker would.
 */
export async function sendInteraction(endpoint: string, interaction: object, signer: InteractionSigner, options: { tamper?: (body: string) => string; timestamp?: string } = {}): Promise<InteractionAnswer> {
  const body = JSON.stringify(interaction);
  const headers = signer.sign(body, options.timestamp);
  const started = Date.now();
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)', ...headers },
    body: options.tamper ? options.tamper(body) : body,
  });
  const text = await res.text();
  const ms = Date.now() - started;
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, ms };
}
