export { AlipayPlusSimulator } from './alipayplus.simulator';
export { alipayTime, authCodeCreatedBody, DEFAULT_WALLET, tokenCanceledBody, tokenCreatedBody } from './authorization.factory';
export { ANTOM_RETRY_SCHEDULE_MS } from './notification.dispatcher';
export { CONTROL_PREFIX, WALLET_AUTHORIZE_PATH } from './simulator.paths';
export type * from './simulator.types';
