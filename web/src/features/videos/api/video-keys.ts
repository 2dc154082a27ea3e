import { entityKeys } from '../../../lib/react-query';
import type { VideosQuery } from './get-videos';

/** Every query key of the footage feature, so a change can refresh exactly what it affects. */
export const videoKeys = entityKeys<VideosQuery>('videos');
