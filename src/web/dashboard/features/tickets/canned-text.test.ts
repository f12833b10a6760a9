import { describe, expect, it } from 'vitest';
import type { CannedReply } from '../../../../contracts/agents.ts';
import { fillPlaceholders, insertCanned, matchCanned, slashQuery } from './canned-text.ts';

const reply = (shortcut: string, title: string): CannedReply => ({
  id: shortcut,
  lang: 'fr',
  shortcut,
  title,
  body: 'x',
  created_at: '2026-12-01T00:00:00.000Z',
  updated_at: '2026-12-01T00:00:00.000Z',
});

describe('canned replies in the reply box', () => {
  it('fills the placeholders with the ticket’s values and leaves an unknown or missing one visible', () => {
    const body = 'Bonjour {{customer.email}}, commande {{ order.number }} ; {{agent.name}} {{customer.phone}}';
    expect(fillPlaceholders(body, { customerEmail: 'a@b.c', orderNumber: 'TF-1', agentName: 'Sam' })).toBe(
      'Bonjour a@b.c, commande TF-1 ; Sam {{customer.phone}}',
    );
    expect(fillPlaceholders('{{order.number}}', { customerEmail: 'a@b.c', orderNumber: null, agentName: null })).toBe('{{order.number}}');
  });

  it('recognises a /shortcut being typed at the start or after a space only', () => {
    expect(slashQuery('/ret')).toBe('ret');
    expect(slashQuery('Bonjour /')).toBe('');
    expect(slashQuery('1/2')).toBeNull();
    expect(slashQuery('/ret done')).toBeNull();
  });

  it('matches shortcuts first, then titles, and replaces the typed /word', () => {
    const list = [reply('merci', 'Retard remercié'), reply('retard', 'Excuses')];
    expect(matchCanned(list, 'ret').map((r) => r.shortcut)).toEqual(['retard', 'merci']);
    expect(insertCanned('Bonjour /ret', 'Texte')).toBe('Bonjour Texte');
  });
});
