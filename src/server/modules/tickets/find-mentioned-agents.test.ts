import { describe, expect, it } from 'vitest';
import { findMentionedAgents } from './find-mentioned-agents.ts';

const agents = [
  { id: 'a', name: 'Alice Martin' },
  { id: 'b', name: 'Bob' },
  { id: 'c', name: 'Chloé Dubois' },
  { id: 'd', name: 'Chloé Peeters' },
];

describe('findMentionedAgents', () => {
  it('finds a full name and a unique first name, case-insensitively', () => {
    expect(findMentionedAgents('@alice martin et @BOB, voyez ça', agents, 'x').sort()).toEqual(['a', 'b']);
    expect(findMentionedAgents('cc @Alice', agents, 'x')).toEqual(['a']);
  });

  it('needs the full name when a first name is shared', () => {
    expect(findMentionedAgents('@Chloé ?', agents, 'x')).toEqual([]);
    expect(findMentionedAgents('@Chloé Peeters ?', agents, 'x')).toEqual(['d']);
  });

  it('ignores e-mail addresses, longer words and the author', () => {
    expect(findMentionedAgents('écrire à support@bob.be', agents, 'x')).toEqual([]);
    expect(findMentionedAgents('@Bobby', agents, 'x')).toEqual([]);
    expect(findMentionedAgents('@Bob', agents, 'b')).toEqual([]);
  });
});
