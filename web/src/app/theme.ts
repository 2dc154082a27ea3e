import {
  createTheme,
  darken,
  defaultVariantColorsResolver,
  parseThemeColor,
  type CSSVariablesResolver,
  type VariantColorsResolver,
} from '@mantine/core';

/**
 * Text on the pale backgrounds of light, subtle, outline and dot variants (badges, nav links,
 * secondary buttons) is a much darker shade of its colour, so it keeps WCAG AA contrast (4.5:1)
 * even for yellow and orange.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({
    color: input.color ?? input.theme.primaryColor,
    theme: input.theme,
  });
  const palette = parsed.isThemeColor ? input.theme.colors[parsed.color] : undefined;
  if (!palette || !['light', 'subtle', 'outline', 'dot', 'transparent'].includes(input.variant)) {
    return colors;
  }
  const text = darken(palette[9], 0.4);
  return {
    ...colors,
    color: text,
    hoverColor: text,
    border: input.variant === 'outline' ? `1px solid ${text}` : colors.border,
  };
};

/** Helper ("dimmed") text one shade darker than Mantine's: 3.3:1 fails AA, gray 7 passes. */
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});

export const theme = createTheme({
  primaryColor: 'blue',
  // Filled buttons and badges: the darkest shades, with black text on the pale ones (yellow,
  // lime…): white or black is chosen so that either passes 4.5:1.
  primaryShade: 9,
  autoContrast: true,
  luminanceThreshold: 0.18,
  defaultRadius: 'md',
  variantColorResolver,
});

export { cssVariablesResolver };
