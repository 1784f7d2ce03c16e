/** TEMP entry point so that synth can bundle; replaced at merge by the real handler. */
export function handler(): Promise<never> {
  return Promise.reject(new Error('not built yet'));
}
