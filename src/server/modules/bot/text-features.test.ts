import { describe, expect, it } from 'vitest';
import { tokenize } from './text-features.ts';

describe('tokenize', () => {
  it('folds SMS-speak and Flemish forms to whole words', () => {
    expect(tokenize('pk ma cmd est en retard')).toEqual(['pourquoi', 'ma', 'commande', 'est', 'en', 'retard']);
    expect(tokenize('kheb goesting')).toEqual(['ik', 'heb', 'zin']);
  });

  it("keeps words that are names of Object.prototype's members as they are", () => {
    expect(tokenize('constructor toString hasOwnProperty __proto__ valueOf')).toEqual([
      'constructor',
      'tostring',
      'hasownproperty',
      'proto',
      'valueof',
    ]);
  });
});
