// The layers of ARCHITECTURE.md ("Layers") as import rules, checked by `npm run lint` (depcruise).
// docs/architecture.md draws them. Known violations that other work in progress removes are listed
// in .dependency-cruiser-known-violations.json; delete an entry once its import is gone.

/** Feature folders: HTTP routes, services and repositories of one product area each. */
const features =
  'admin|audit|auth|backup|cases|dashboard|health|live|privacy|quota|retention|searches|videos';
/** Adapters: the database, encryption keys, the queue, the event bus, storage, media, network, mail, the web build. */
const adapters = 'db|crypto|jobs|events|storage|media|net|mail|web';
/**
 * The composition root: the entry files that build the app, install its error handling, wire
 * services and register job handlers.
 */
const compositionRoot = '^src/(main|worker|app|error-handler|job-handlers)[.]ts$';

/**
 * What one feature may import from another besides its `*.service.ts` files (its named service
 * interfaces). Each entry says why it is public.
 */
const publicFeatureModules = [
  // Request authentication and role checks that every feature's routes use.
  '^src/auth/auth[.]guard[.]ts$',
  '^src/auth/role[.]policy[.]ts$',
  '^src/auth/admin-access[.]ts$',
  // The request context (ip, user agent) and the shared no-content reply of authenticated routes.
  '^src/auth/auth[.]http[.]ts$',
  // WebSockets that close when their login ends (search.ws.ts uses it for /api/ws).
  '^src/auth/signed-in-sockets[.]ts$',
  // The per-IP and per-account limits of account endpoints, also guarding the account export and
  // deletion of privacy/ (password guessing, heavy downloads).
  '^src/auth/auth[.]rate-limit[.]ts$',
  // Access-control query fragments (cases, searches, videos a user may see) that every feature's
  // repository joins with, so that no query forgets the sharing rules.
  '^src/cases/case-access[.]repository[.]ts$',
  // The frame-source plug-in interface of the one analysis runner (a live feed is such a source).
  '^src/searches/analysis[.]source[.]ts$',
  // Pure parsing and masking of a live feed's URL, shared by uploads of live feeds and live/.
  '^src/videos/live-feed[.]url[.]ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'engine-imports-only-itself',
      comment:
        'The recognition engine imports only its own code, npm packages (model runtimes) and Node ' +
        'built-ins: no feature, db, jobs, events, storage or shared code.',
      severity: 'error',
      from: { path: '^src/recognition/' },
      to: { pathNot: '^(src/recognition/|node_modules/)', dependencyTypesNot: ['core'] },
    },
    {
      name: 'adapter-imports-no-feature',
      comment: 'An adapter (db, jobs, events, storage, media, net, mail, web) imports no feature.',
      severity: 'error',
      from: { path: `^src/(${adapters})/` },
      to: { path: `^src/(${features})/` },
    },
    {
      name: 'lower-layers-import-no-root',
      comment:
        'Features, adapters, the engine, shared/ and contracts/ never import the composition root ' +
        '(main, worker, app, error-handler, job-handlers): it imports them.',
      severity: 'error',
      from: { path: `^src/(${features}|${adapters}|recognition|shared|contracts)/` },
      to: { path: compositionRoot },
    },
    {
      name: 'adapter-imports-no-app-deps',
      comment:
        'Adapters, the engine, shared/ and contracts/ take their collaborators as arguments, never ' +
        'the AppDeps bag of src/deps.ts.',
      severity: 'error',
      from: { path: `^src/(${adapters}|recognition|shared|contracts)/` },
      to: { path: '^src/deps[.]ts$' },
    },
    {
      name: 'jobs-imports-no-feature-job',
      comment:
        'src/jobs/ is the queue: the handlers of feature jobs are registered at the composition ' +
        'root (src/job-handlers.ts), so src/jobs/ never imports a *.job.ts.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '[.]job[.]ts$' },
    },
    {
      name: 'feature-imports-features-through-services',
      comment:
        'A feature imports another feature only through its named service interfaces (*.service.ts) ' +
        'and the public modules listed in publicFeatureModules of .dependency-cruiser.mjs.',
      severity: 'error',
      from: { path: `^src/(${features})/` },
      to: {
        path: `^src/(${features})/`,
        pathNot: ['^src/$1/', '[.]service[.]ts$', ...publicFeatureModules],
      },
    },
    {
      name: 'shared-imports-only-shared',
      comment:
        'src/shared/ is the kernel every layer uses: it imports nothing of the app but itself.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'contracts-import-only-contracts',
      comment:
        'src/contracts/ holds the wire schemas the server and the web app share: it imports only ' +
        'itself and zod, so the web app pulls in no server code through it.',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { pathNot: '^(src/contracts/|node_modules/zod/)' },
    },
    {
      name: 'config-imports-no-app-code',
      comment: 'src/config.ts reads the environment; every layer imports it, so it imports none.',
      severity: 'error',
      from: { path: '^src/config[.]ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'web-imports-server-only-contracts',
      comment:
        'The web app imports server code only from the shared contracts module src/contracts/.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/contracts/' },
    },
    {
      name: 'server-imports-no-web-app',
      comment: 'The server never imports the web app source (it serves its build, web/dist).',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-folder-cycle',
      comment:
        'No import cycle between folders (src/auth → src/db → src/auth, …): a lower folder never ' +
        'reaches back up.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycle',
      comment:
        'No import cycle between files at run time (type-only imports between files of one folder ' +
        'may go both ways; between folders no-folder-cycle counts them too).',
      severity: 'error',
      from: { path: '^(src|web/src)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    // Tests (also the one beside src/web) and build output are not layered code.
    exclude: { path: '([.]test[.]tsx?$|^web/dist/|^node_modules/)' },
    doNotFollow: { path: '^node_modules/' },
    // Type-only imports count: a type import is a dependency of the design as much as a value one.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
