// `npm start` serves the built single-page app; build it once when it is missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync('web/index.html') && !existsSync('web/dist/index.html')) {
  console.log('Building the web app (first start only)…');
  execSync('npx vite build web', { stdio: 'inherit' });
}
