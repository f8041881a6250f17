import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_ASSETS } from './assets/console-assets';
import type { ConsoleAnswer } from './console-answer';
import { ConsolePagesService } from './console-pages.service';
import { HTML_HEADERS } from './views/html';

/**
 * The operator console's own routes: pages, assets, log-in and log-out. Every
 * action on data goes through the admin API (/admin/v1) from the page's
 * script; these routes only serve HTML and manage the session.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  constructor(private readonly pages: ConsolePagesService) {}

  @Get()
  home(@Res() reply: FastifyReply): void {
    void reply.redirect('/console/merchants', 303);
  }

  @Get('login')
  async loginForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.send(reply, await this.pages.loginForm(req));
  }

  @Post('login')
  async logIn(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.send(reply, await this.pages.logIn(req));
  }

  @Post('logout')
  async logOut(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.send(reply, await this.pages.logOut(req));
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    const asset = CONSOLE_ASSETS.get(name);
    if (!asset) {
      void reply.status(404).type('text/plain; charset=utf-8').send('not found');
      return;
    }
    // Pages link assets with ?v=<content hash>, so a browser revalidating on every load costs a few KB at most.
    void reply.headers({ 'content-type': asset.contentType, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).send(asset.body);
  }

  @Get(':page')
  async page(@Param('page') page: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.send(reply, await this.pages.page(page, req));
  }

  private send(reply: FastifyReply, answer: ConsoleAnswer): void {
    if (answer.cookie) void reply.header('set-cookie', answer.cookie);
    if (answer.kind === 'redirect') {
      void reply.header('cache-control', 'no-store').redirect(answer.location, 303);
      return;
    }
    if (answer.kind === 'empty') {
      void reply.status(answer.status).header('cache-control', 'no-store').send();
      return;
    }
    void reply
      .status(answer.status)
      .headers({ ...HTML_HEADERS, ...answer.headers })
      .send(answer.html);
  }
}
