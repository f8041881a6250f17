import { Script } from 'node:vm';
import { assetUrl, CONSOLE_ASSETS } from './console-assets';

describe('console assets', () => {
  it.each([...CONSOLE_ASSETS.keys()].filter((n) => n.endsWith('.js')))('%s is valid JavaScript', (name) => {
    expect(() => new Script(CONSOLE_ASSETS.get(name)!.body, { filename: name })).not.toThrow();
  });

  it('never builds markup from strings (data goes in as text nodes only)', () => {
    for (const [name, asset] of CONSOLE_ASSETS) {
      expect({ name, innerHTML: /innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(asset.body) }).toEqual({ name, innerHTML: false });
    }
  });

  it('versions URLs by content', () => {
    expect(assetUrl('core.js')).toMatch(/^\/console\/assets\/core\.js\?v=[0-9a-f]{12}$/);
    expect(() => assetUrl('nope.js')).toThrow();
  });
});
