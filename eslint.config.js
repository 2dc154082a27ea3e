import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'dist', 'web/dist', 'coverage', 'test-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: { ...globals.browser } },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/**/*.ts'],
    // Migrations are frozen history: they stay exactly as they ran, however long.
    ignores: ['src/db/migrations/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  // TEMPORARY (issue 17): the files that still have a function over 80 lines while other branches
  // split them (routes, analysis runner, engine, storage). The lead deletes this block after
  // merging them; a file left here then fails `npm run lint` until it is split too.
  {
    files: [
      'src/app.ts',
      'src/auth/auth.routes.ts',
      'src/auth/invitation.routes.ts',
      'src/cases/case.routes.ts',
      'src/cases/person-photo.routes.ts',
      'src/cases/person-photo.service.ts',
      'src/live/live-analysis.job.ts',
      'src/live/live-feed.frames.ts',
      'src/live/live-feed.relay.ts',
      'src/live/live.routes.ts',
      'src/media/frame.decoder.ts',
      'src/media/media.process.ts',
      'src/net/rtsp-forwarder.ts',
      'src/recognition/analysis.ts',
      'src/recognition/face-engine.ts',
      'src/searches/search-analysis.job.ts',
      'src/searches/search-results.routes.ts',
      'src/searches/search.routes.ts',
      'src/searches/search.service.ts',
      'src/storage/s3.storage.ts',
      'src/videos/video.routes.ts',
    ],
    rules: { 'max-lines-per-function': 'off' },
  },
);
