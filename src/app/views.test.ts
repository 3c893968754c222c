import { describe, expect, it } from 'vitest';
import { viewFromSearch, type ViewDef } from './views';

const views: ViewDef[] = [
  { id: 'live', title: 'Live', hint: '', render: () => null },
  { id: 'options', title: 'Options', hint: '', render: () => null },
];

describe('viewFromSearch', () => {
  it('picks the view named in ?view=', () => {
    expect(viewFromSearch('?ws=a&view=options', views)).toBe('options');
  });
  it('falls back to the first view when the parameter is absent or unknown', () => {
    expect(viewFromSearch('', views)).toBe('live');
    expect(viewFromSearch('?view=nope', views)).toBe('live');
  });
});
