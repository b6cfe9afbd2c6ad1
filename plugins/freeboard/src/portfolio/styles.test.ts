import { createTheme, getContrastRatio } from '@material-ui/core/styles';
import { readableErrorColor } from './styles';

describe('readableErrorColor', () => {
  it.each([
    ['MUI light', createTheme()],
    ['MUI dark', createTheme({ palette: { type: 'dark' } })],
    // Backstage's own palettes: page and paper backgrounds of its themes.
    [
      'light grey',
      createTheme({ palette: { background: { paper: '#f8f8f8' } } }),
    ],
    [
      'dark grey',
      createTheme({
        palette: { type: 'dark', background: { paper: '#333333' } },
      }),
    ],
  ])('reads with WCAG AA contrast on the %s paper', (_name, theme) => {
    const color = readableErrorColor(theme);
    expect(
      getContrastRatio(color, theme.palette.background.paper),
    ).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps the theme’s error colour when it already passes', () => {
    const theme = createTheme({ palette: { error: { main: '#b00020' } } });
    expect(readableErrorColor(theme)).toBe('#b00020');
  });
});
