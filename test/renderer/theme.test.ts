// Text contrast of the theme's colour pairs, in both schemes: WCAG AA asks 4.5:1 for normal text.
import { describe, expect, it } from 'vitest';
import type { Palette } from '@mui/material/styles';
import { theme } from '../../renderer/theme.js';

/** The schemes createTheme made (typed on the CSS-variables theme only). */
const schemes = (theme as unknown as { colorSchemes: Partial<Record<'light' | 'dark', { palette: Palette }>> }).colorSchemes;

type Rgb = [number, number, number];

function parse(c: string, over: Rgb = [255, 255, 255]): Rgb {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(c);
  if (short) return [short[1], short[2], short[3]].map((h) => parseInt(`${h}${h}`, 16)) as Rgb;
  const hex = /^#([0-9a-f]{6})$/i.exec(c);
  if (hex?.[1]) return [0, 2, 4].map((i) => parseInt(hex[1]!.slice(i, i + 2), 16)) as Rgb;
  const rgba = /^rgba?\(([^)]+)\)$/.exec(c);
  if (rgba?.[1]) {
    const [r, g, b, a = 1] = rgba[1].split(',').map(Number) as [number, number, number, number?];
    return [r, g, b].map((v, i) => v * a + over[i]! * (1 - a)) as Rgb;
  }
  throw new Error(`colour ${c}`);
}

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(fg: string, bg: string): number {
  const b = parse(bg);
  const [l1, l2] = [luminance(parse(fg, b)), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

describe('theme contrast >= 4.5:1', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(scheme, () => {
      const p = schemes[scheme]?.palette;
      if (!p) throw new Error(`no ${scheme} scheme`);
      const pairs: [string, string, string][] = [
        ['text on the page', p.text.primary, p.background.default],
        ['secondary text on the page', p.text.secondary, p.background.default],
        ['text on a panel', p.text.primary, p.background.paper],
        ['secondary text on a panel', p.text.secondary, p.background.paper],
        ['links and text buttons on the page', p.primary.main, p.background.default],
        ['links and text buttons on a panel', p.primary.main, p.background.paper],
        ['contained buttons', p.primary.contrastText, p.primary.main],
        ['success chip', p.success.contrastText, p.success.main],
        ['warning chip', p.warning.contrastText, p.warning.main],
        ['error chip', p.error.contrastText, p.error.main],
      ];
      // The light app bar is magenta with white tabs, all at full opacity now (inactive tabs were 2.3:1).
      if (scheme === 'light') pairs.push(['tabs on the app bar', '#ffffff', p.primary.main]);
      for (const [what, fg, bg] of pairs) expect(contrast(fg, bg), `${what}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('inactive tabs are not dimmed', () => {
    const root = theme.components?.MuiTab?.styleOverrides?.root as { opacity?: number } | undefined;
    expect(root?.opacity).toBe(1);
  });
});
